// One thread's share of the health listener. Each loop has its own epoll set
// holding the shared listening socket (EPOLLEXCLUSIVE: one loop wakes per
// new connection) and the connections it accepted. A connection costs a few
// hundred bytes, not a thread, so idle or slowloris clients cannot starve the
// directors: every connection has a deadline (whole request head, keep-alive
// idle, write), and at the cap the connection waiting longest makes room.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/ip_address.h"
#include "common/result.h"
#include "common/socket.h"
#include "http/http_request.h"

namespace rsagent::agent {

struct LoopLimits {
  size_t max_connections = 128;
  std::chrono::milliseconds request_timeout{2000};  // accept or last answer -> whole head
  std::chrono::milliseconds idle_timeout{5000};     // between keep-alive requests
  std::chrono::milliseconds write_timeout{2000};
  size_t max_head_bytes = 8192;
};

// The bytes to send for one request (a serialized response).
using RequestHandler =
    std::function<std::string(const HttpRequest& request, const IpAddress& peer, bool keep_alive)>;

class HttpEventLoop {
 public:
  // Neither fd is owned; `stop_fd` turns readable when the loop must return.
  // `last_generation`: the generation the connection before the first one
  // had; the first gets the next. Tests start just below 2^32 to cross the wrap.
  static Result<std::unique_ptr<HttpEventLoop>> Create(int listen_fd, int stop_fd,
                                                       const LoopLimits& limits,
                                                       RequestHandler handler,
                                                       uint32_t last_generation = 0);
  void Run();

 private:
  struct Connection {
    UniqueFd fd;
    // Tells this connection from an earlier one on the same fd; it travels in
    // the upper 32 bits of epoll's data, so it is 32 bits here too (wrapping).
    uint32_t generation = 0;
    IpAddress peer;
    std::string in;
    std::string out;
    size_t out_sent = 0;
    bool close_after_write = false;
    bool peer_closed = false;         // read end of stream: answer what is buffered, then close
    bool write_blocked = false;       // polled for EPOLLOUT instead of EPOLLIN
    bool lingering = false;           // answered and shut down; draining input
    Clock::time_point waiting_since;  // start of the current wait for the client
    Clock::time_point deadline;
  };

  HttpEventLoop(int listen_fd, int stop_fd, const LoopLimits& limits, RequestHandler handler,
                uint32_t last_generation)
      : listen_fd_(listen_fd),
        stop_fd_(stop_fd),
        limits_(limits),
        handler_(std::move(handler)),
        accepted_(last_generation) {}

  void AcceptAll();
  bool WatchListener();            // adds the listener to this loop's epoll set
  void PauseAccepting(int error);  // for kAcceptPause (out of descriptors)
  void OnEvent(Connection& c, uint32_t events);
  void Serve(Connection& c);  // answers every complete request buffered
  void Respond(Connection& c, std::string bytes, bool keep_alive);
  void Flush(Connection& c);   // writes what the socket takes
  void Linger(Connection& c);  // closes once the client has finished sending
  bool Watch(const Connection& c, int op, uint32_t events);  // epoll_ctl, tagged
  void Close(int fd);
  // At the cap: the connection waiting longest for its client, or else the
  // one whose answer has been stuck longest (its client does not read).
  void EvictOne();
  void CloseExpired(Clock::time_point now);

  int listen_fd_;
  int stop_fd_;
  UniqueFd epoll_;
  LoopLimits limits_;
  RequestHandler handler_;
  std::unordered_map<int, Connection> connections_;
  Clock::time_point next_sweep_;
  uint32_t accepted_;            // the last generation given
  bool accept_paused_ = false;   // the listener is out of the epoll set
  bool accept_starved_ = false;  // paused since the last accepted connection (logged once)
  Clock::time_point accept_resume_;
};

}  // namespace rsagent::agent
