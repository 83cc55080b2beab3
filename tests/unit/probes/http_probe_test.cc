#include "probes/http_probe.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/unit/probes/loopback.h"

namespace rsagent::probes {
namespace {

using std::chrono::milliseconds;

// Runs a cpp-httplib server (plain or TLS) on 127.0.0.1 in a thread.
class TestServer {
 public:
  explicit TestServer(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>(),
                      std::string host = "127.0.0.1")
      : server_(std::move(server)), host_(std::move(host)) {
    server_->Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("service ok", "text/plain");
    });
    server_->Get(R"(/status/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1]);
      res.set_content("status page", "text/plain");
    });
    server_->Get("/host", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      last_host_ = req.get_header_value("Host");
      res.set_content("seen", "text/plain");
    });
    server_->Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
        sink.write("first,", 6);
        sink.write("healthy", 7);
        sink.done();
        return true;
      });
    });
    server_->Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("marker " + std::string(1 << 20, 'b'), "text/plain");  // 1 MiB
    });
    port_ = server_->bind_to_any_port(host_);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() is a no-op before the accept loop runs; wait for it (bounded).
    for (int i = 0; i < 200 && !server_->is_running(); ++i) usleep(10 * 1000);
  }
  ~TestServer() {
    server_->stop();
    thread_.join();
  }

  std::string Url(const std::string& path, const char* scheme = "http") const {
    const std::string host = host_.find(':') == std::string::npos ? host_ : "[" + host_ + "]";
    return std::string(scheme) + "://" + host + ":" + std::to_string(port_) + path;
  }
  std::string last_host() {
    std::lock_guard lock(mutex_);
    return last_host_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string host_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string last_host_;
};

ProbeResult Probe(HttpProbeSpec spec, milliseconds timeout = milliseconds(2000)) {
  return HttpProbe(std::move(spec)).Attempt(Clock::now() + timeout);
}

// Out of line: GCC 12 inlining the spec's default vector<StatusRange>
// initializer reports a false -Wmaybe-uninitialized.
[[gnu::noinline]] HttpProbeSpec Spec(std::string url) {
  HttpProbeSpec spec;
  spec.url = std::move(url);
  return spec;
}

TEST(HttpProbe, PassesOnExpectedStatusAndBody) {
  TestServer server;
  auto spec = Spec(server.Url("/ok"));
  spec.expect_body = "ok";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  EXPECT_EQ(result.outcome.reason, "HTTP 200");
  EXPECT_EQ(result.details["http_status"], "200");
  EXPECT_GT(result.latency.count(), 0);
}

TEST(HttpProbe, StatusOutsideTheRangesFails) {
  TestServer server;
  const std::string url = server.Url("/status/502");
  ProbeResult result = Probe(Spec(url));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "HTTP 502 from " + url + " (expected 200-399)");

  auto spec = Spec(server.Url("/status/500"));
  spec.expect_status = {{200, 200}, {500, 503}};
  EXPECT_TRUE(Probe(spec).outcome.ok);
  spec.expect_status = {{200, 200}, {204, 204}};
  EXPECT_EQ(Probe(spec).outcome.reason,
            "HTTP 500 from " + spec.url + " (expected 200,204)");
}

TEST(HttpProbe, MissingBodyMarkerFails) {
  TestServer server;
  auto spec = Spec(server.Url("/ok"));
  spec.expect_body = "database up";
  ProbeResult result = Probe(spec);
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "body does not contain \"database up\"");
}

TEST(HttpProbe, ReadsChunkedBodies) {
  TestServer server;
  auto spec = Spec(server.Url("/chunked"));
  spec.expect_body = "first,healthy";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
}

TEST(HttpProbe, SendsTheHostHeader) {
  TestServer server;
  auto spec = Spec(server.Url("/host"));
  ASSERT_TRUE(Probe(spec).outcome.ok);
  EXPECT_EQ(server.last_host(), spec.url.substr(7, spec.url.find("/host") - 7));
  spec.host_header = "www.example.test";
  ASSERT_TRUE(Probe(spec).outcome.ok);
  EXPECT_EQ(server.last_host(), "www.example.test");
}

TEST(HttpProbe, ProbesIpv6Loopback) {
  TestServer server(std::make_unique<httplib::Server>(), "::1");
  if (server.Url("/ok").ends_with(":-1/ok")) GTEST_SKIP() << "no IPv6 loopback here";
  auto spec = Spec(server.Url("/ok"));
  spec.expect_body = "service ok";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << spec.url << ": " << result.outcome.reason;
}

TEST(HttpProbe, LargeBodyIsReadOnlyAsFarAsNeeded) {
  TestServer server;
  auto spec = Spec(server.Url("/big"));
  spec.expect_body = "marker";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  spec.expect_body = "not there";
  EXPECT_EQ(Probe(spec).outcome.reason, "body does not contain \"not there\"");
}

// Answers each accepted connection with the next scripted reply (raw bytes)
// and closes it; an empty reply holds the connection open, unanswered,
// until the server is destroyed.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> replies)
      : replies_(std::move(replies)), thread_([this] { Serve(); }) {}
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(listener_.port) + "/"; }

 private:
  void Serve() {
    std::vector<UniqueFd> held;
    for (const std::string& reply : replies_) {
      while (!stop_ && !WaitFd(listener_.fd.get(), POLLIN, Clock::now() + milliseconds(50)).ok()) {
      }
      if (stop_) return;
      UniqueFd client(accept4(listener_.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
      char request[4096];
      (void)WaitFd(client.get(), POLLIN, Clock::now() + milliseconds(1000));
      (void)recv(client.get(), request, sizeof request, MSG_DONTWAIT);
      if (reply.empty()) {
        held.push_back(std::move(client));
        continue;
      }
      (void)send(client.get(), reply.data(), reply.size(), MSG_NOSIGNAL);
    }
    while (!stop_) usleep(10 * 1000);
  }

  testing::LoopbackSocket listener_ = testing::Listening();
  std::vector<std::string> replies_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

constexpr const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

TEST(HttpProbe, JunkAnswerFailsAndTheNextAttemptIsClean) {
  // Issue 12's forged header: the answer is no HTTP at all.
  ScriptedServer server({"junk\nX-Injected: yes\n\n<html>row data</html>", kOk});
  auto probe = std::make_unique<HttpProbe>(Spec(server.Url()));
  ProbeResult junk = probe->Attempt(Clock::now() + milliseconds(2000));
  EXPECT_FALSE(junk.outcome.ok);
  std::printf("junk answer: %s\n", junk.outcome.reason.c_str());
  ProbeResult next = probe->Attempt(Clock::now() + milliseconds(2000));
  EXPECT_TRUE(next.outcome.ok) << next.outcome.reason;
}

TEST(HttpProbe, TimedOutAttemptDoesNotPoisonTheNext) {
  ScriptedServer server({"", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", kOk});
  auto probe = std::make_unique<HttpProbe>(Spec(server.Url()));
  EXPECT_EQ(probe->Attempt(Clock::now() + milliseconds(300)).outcome.reason,
            "timed out after 300ms");
  // A keep-alive answer: the connection is not reused for the third attempt.
  for (int attempt = 2; attempt <= 3; ++attempt) {
    ProbeResult result = probe->Attempt(Clock::now() + milliseconds(2000));
    EXPECT_TRUE(result.outcome.ok) << "attempt " << attempt << ": " << result.outcome.reason;
  }
}

TEST(HttpProbe, RefusedConnection) {
  auto closed = testing::Refusing();
  ProbeResult result = Probe(Spec("http://127.0.0.1:" + std::to_string(closed.port) + "/"));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "connect 127.0.0.1:" + std::to_string(closed.port) + ": connection refused");
}

// Runs a probe that will hang on the server; checks and prints how long it
// took against its timeout.
void ExpectReturnsByDeadline(const std::string& what, const HttpProbeSpec& spec) {
  const auto timeout = milliseconds(500);
  const auto start = Clock::now();
  ProbeResult result = Probe(spec, timeout);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  std::printf("http probe, %s: returned after %lldms, timeout %lldms\n", what.c_str(),
              static_cast<long long>(took.count()), static_cast<long long>(timeout.count()));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "timed out after 500ms");
  EXPECT_GE(took, timeout);
  EXPECT_LT(took, timeout + milliseconds(150));
}

TEST(HttpProbe, ServerThatAcceptsAndNeverAnswers) {
  auto silent = testing::Listening();  // the kernel completes the handshake; nobody reads
  ExpectReturnsByDeadline("silent server",
                          Spec("http://127.0.0.1:" + std::to_string(silent.port) + "/"));
  ExpectReturnsByDeadline("silent server over https",
                          Spec("https://127.0.0.1:" + std::to_string(silent.port) + "/"));
}

// Accepts one connection and sends a never-ending header a byte every 20ms:
// every single read succeeds quickly, so only a whole-exchange deadline ends it.
class TrickleServer {
 public:
  TrickleServer() : thread_([this] { Serve(); }) {}
  ~TrickleServer() {
    stop_ = true;
    thread_.join();
  }
  uint16_t port() const { return listener_.port; }

 private:
  void Serve() {
    if (!WaitFd(listener_.fd.get(), POLLIN, Clock::now() + std::chrono::seconds(5)).ok()) return;
    UniqueFd client(accept4(listener_.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    const std::string response = "HTTP/1.1 200 OK\r\nX-Slow: " + std::string(1000, 'a');
    for (size_t i = 0; i < response.size() && !stop_; ++i) {
      if (send(client.get(), &response[i], 1, MSG_NOSIGNAL) != 1) return;
      usleep(20 * 1000);
    }
  }

  testing::LoopbackSocket listener_ = testing::Listening();
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(HttpProbe, TricklingServerIsBoundedByTheDeadline) {
  TrickleServer server;
  ExpectReturnsByDeadline("trickling server",
                          Spec("http://127.0.0.1:" + std::to_string(server.port()) + "/"));
}

// URLs the probe cannot use (ftp://, a name to resolve) never reach it:
// conf/ rejects them (http_url_test.cc). "localhost" means 127.0.0.1.
TEST(HttpProbe, LocalhostMeansTheLoopbackAddress) {
  TestServer server;
  const std::string url = server.Url("/ok");
  ProbeResult result = Probe(Spec("http://localhost" + url.substr(url.find(':', 5))));
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
}

// A self-signed certificate for 127.0.0.1, made with the openssl command.
class HttpsProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/rsagent-https-test-XXXXXX";
    dir_ = mkdtemp(name);
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
        (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) GTEST_SKIP() << "openssl command not available";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<httplib::Server> MakeServer() const {
    return std::make_unique<httplib::SSLServer>((dir_ / "cert.pem").c_str(), (dir_ / "key.pem").c_str());
  }
  std::filesystem::path dir_;
};

TEST_F(HttpsProbe, SelfSignedPassesWithoutVerification) {
  TestServer server(MakeServer());
  auto spec = Spec(server.Url("/ok", "https"));
  spec.expect_body = "service ok";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
}

TEST_F(HttpsProbe, HostHeaderIsSentAsSni) {
  std::mutex mutex;
  std::string sni;
  auto server_impl = std::make_unique<httplib::SSLServer>((dir_ / "cert.pem").c_str(),
                                                          (dir_ / "key.pem").c_str());
  SSL_CTX_set_tlsext_servername_callback(
      server_impl->ssl_context(), +[](SSL* ssl, int*, void* arg) {
        const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        *static_cast<std::string*>(arg) = name ? name : "";
        return SSL_TLSEXT_ERR_OK;
      });
  SSL_CTX_set_tlsext_servername_arg(server_impl->ssl_context(), &sni);
  TestServer server(std::move(server_impl));
  auto spec = Spec(server.Url("/host", "https"));
  spec.host_header = "www.example.test:8443";
  ProbeResult result = Probe(spec);
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  std::lock_guard lock(mutex);
  EXPECT_EQ(sni, "www.example.test");
  EXPECT_EQ(server.last_host(), "www.example.test:8443");
}

TEST_F(HttpsProbe, SelfSignedFailsWithVerification) {
  TestServer server(MakeServer());
  auto spec = Spec(server.Url("/ok", "https"));
  spec.tls_verify = true;
  ProbeResult result = Probe(spec);
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_NE(result.outcome.reason.find("certificate verify failed"), std::string::npos)
      << result.outcome.reason;
}

}  // namespace
}  // namespace rsagent::probes
