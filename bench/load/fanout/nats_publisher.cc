#include <cerrno>
#include <ctime>
#include <stdexcept>

#include <nats/nats.h>

#include "fanout/clock.h"
#include "fanout/publisher.h"
#include "fanout/stream_events.h"

namespace fanout {
namespace {

void check(natsStatus status, const char* what) {
  if (status != NATS_OK) {
    throw std::runtime_error(std::string(what) + ": " + natsStatus_GetText(status));
  }
}

class NatsPublisher final : public Publisher {
 public:
  NatsPublisher(const std::string& url, std::size_t body_bytes, const std::vector<Room>& rooms,
                PostLedger& ledger)
      : body_bytes_(body_bytes), rooms_(rooms), ledger_(ledger) {
    natsOptions* options = nullptr;
    check(natsOptions_Create(&options), "nats options");
    natsOptions_SetURL(options, url.c_str());
    // Each publish leaves at once, as each HTTP post does; without this libnats batches
    // publishes in its flusher thread, which would measure a different client.
    natsOptions_SetSendAsap(options, true);
    natsOptions_SetAllowReconnect(options, false);
    const natsStatus status = natsConnection_Connect(&connection_, options);
    natsOptions_Destroy(options);
    check(status, ("nats connect to " + url).c_str());
    for (const Room& room : rooms_) {
      subjects_.push_back("room." + std::to_string(room.id));
    }
  }

  ~NatsPublisher() override {
    natsConnection_Destroy(connection_);
    nats_Close();
  }

  void send(const Post& post) override {
    const std::string body = make_body(post.due_ns, post.seq, body_bytes_);
    const std::string frame =
        make_event_frame(static_cast<std::int64_t>(post.index) + 1, rooms_[post.room].id, 1, body);
    const natsStatus status = natsConnection_Publish(connection_, subjects_[post.room].c_str(),
                                                     frame.data(), static_cast<int>(frame.size()));
    if (status == NATS_OK) {
      ledger_.accepted(post, -1);  // NATS acknowledges nothing; accepted = handed to the socket
    } else {
      ledger_.rejected(post, std::string("nats publish: ") + natsStatus_GetText(status));
    }
  }

  void wait(std::int64_t deadline_ns) override {
    const timespec until{.tv_sec = deadline_ns / kNsPerSecond,
                         .tv_nsec = deadline_ns % kNsPerSecond};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
    }
  }

  void finish(std::int64_t deadline_ns) override {
    // A round trip to the server proves every publish before it has been processed.
    const std::int64_t remaining_ms =
        std::max<std::int64_t>((deadline_ns - now_ns()) / kNsPerMs, 1);
    natsConnection_FlushTimeout(connection_, remaining_ms);
  }

 private:
  std::size_t body_bytes_;
  const std::vector<Room>& rooms_;
  PostLedger& ledger_;
  natsConnection* connection_ = nullptr;
  std::vector<std::string> subjects_;
};

}  // namespace

std::unique_ptr<Publisher> make_nats_publisher(const std::string& url, std::size_t body_bytes,
                                               const std::vector<Room>& rooms, PostLedger& ledger) {
  return std::make_unique<NatsPublisher>(url, body_bytes, rooms, ledger);
}

}  // namespace fanout
