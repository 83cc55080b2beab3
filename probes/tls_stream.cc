#include "probes/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>

namespace rsagent::probes {

struct TlsStream::State {
  UniqueFd fd;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  ~State() {
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  }
};

namespace {

std::string OpenSslError(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(what) + " failed";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return std::string(what) + ": " + text;
}

// After an OpenSSL call returned `ret`: waits for the socket when OpenSSL
// wants it, or turns the failure into an error.
Status AwaitRetry(SSL* ssl, int ret, int fd, const char* what, Clock::time_point deadline) {
  switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ:
      return WaitFd(fd, POLLIN, deadline);
    case SSL_ERROR_WANT_WRITE:
      return WaitFd(fd, POLLOUT, deadline);
    case SSL_ERROR_SYSCALL:
      if (errno != 0) return Error{std::string(what) + ": " + ErrnoText(errno)};
      return Error{OpenSslError(what)};
    default:
      return Error{OpenSslError(what)};
  }
}

}  // namespace

TlsStream::TlsStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
TlsStream::~TlsStream() = default;

Result<std::unique_ptr<TlsStream>> TlsStream::Handshake(UniqueFd fd, const TlsOptions& options,
                                                        Clock::time_point deadline) {
  auto state = std::make_unique<State>();
  state->fd = std::move(fd);
  state->ctx = SSL_CTX_new(TLS_client_method());
  if (state->ctx == nullptr) return Error{OpenSslError("SSL_CTX_new")};
  // Servers often close without close_notify after a read-to-EOF body.
  SSL_CTX_set_options(state->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (options.verify) {
    SSL_CTX_set_verify(state->ctx, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(state->ctx) != 1) {
      return Error{OpenSslError("loading CA certificates")};
    }
  }
  state->ssl = SSL_new(state->ctx);
  if (state->ssl == nullptr || SSL_set_fd(state->ssl, state->fd.get()) != 1) {
    return Error{OpenSslError("SSL_new")};
  }
  if (!options.server_name.empty()) {
    // SNI only for names; an IP literal goes in the verified name only.
    if (!IpAddress::Parse(options.server_name).ok()) {
      SSL_set_tlsext_host_name(state->ssl, options.server_name.c_str());
    }
    if (options.verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(state->ssl);
      if (IpAddress::Parse(options.server_name).ok()) {
        X509_VERIFY_PARAM_set1_ip_asc(param, options.server_name.c_str());
      } else {
        X509_VERIFY_PARAM_set1_host(param, options.server_name.c_str(), 0);
      }
    }
  }
  while (true) {
    ERR_clear_error();
    errno = 0;  // SSL_ERROR_SYSCALL reads it
    int ret = SSL_connect(state->ssl);
    if (ret == 1) break;
    if (Status wait = AwaitRetry(state->ssl, ret, state->fd.get(), "TLS handshake", deadline);
        !wait.ok()) {
      return Error{wait.error()};
    }
  }
  return std::unique_ptr<TlsStream>(new TlsStream(std::move(state)));
}

Status TlsStream::WriteAll(std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ERR_clear_error();
    errno = 0;  // SSL_ERROR_SYSCALL reads it
    size_t written = 0;
    int ret = SSL_write_ex(state_->ssl, data.data(), data.size(), &written);
    if (ret == 1) {
      data.remove_prefix(written);
      continue;
    }
    if (Status wait = AwaitRetry(state_->ssl, ret, state_->fd.get(), "TLS write", deadline); !wait.ok()) {
      return wait;
    }
  }
  return Status::Ok();
}

Result<size_t> TlsStream::ReadSome(char* buffer, size_t size, Clock::time_point deadline) {
  while (true) {
    ERR_clear_error();
    errno = 0;  // SSL_ERROR_SYSCALL reads it
    size_t read = 0;
    int ret = SSL_read_ex(state_->ssl, buffer, size, &read);
    if (ret == 1) return read;
    if (SSL_get_error(state_->ssl, ret) == SSL_ERROR_ZERO_RETURN) return size_t{0};
    if (Status wait = AwaitRetry(state_->ssl, ret, state_->fd.get(), "TLS read", deadline); !wait.ok()) {
      return Error{wait.error()};
    }
  }
}

}  // namespace rsagent::probes
