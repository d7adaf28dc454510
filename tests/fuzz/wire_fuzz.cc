// The client side of gRPC's wire protocol (src/wire) over arbitrary server bytes: HPACK
// blocks, Huffman strings, and frame streams fed to a session with a streaming call in
// progress.
// Nothing the server sends may crash the client or make it read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wire/hpack.h"
#include "wire/session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      drover::wire::HpackDecoder decoder(256);
      std::vector<drover::wire::Header> headers;
      // Two blocks through one decoder, so table state carries over.
      size_t half = in.size() / 2;
      if (decoder.Decode(in.substr(0, half), headers)) (void)decoder.Decode(in.substr(half), headers);
      break;
    }
    case 1: {
      auto decoded = drover::wire::HuffmanDecode(in);
      if (decoded) {
        std::string again = drover::wire::HuffmanEncode(*decoded);
        auto back = drover::wire::HuffmanDecode(again);
        if (!back || *back != *decoded) __builtin_trap();
      }
      break;
    }
    default: {
      drover::wire::ClientSession session;
      std::string out;
      session.AppendPreface(out);
      size_t messages = 0;
      session.StartCall("/drover.v1.Controller/Ping", "fuzz", {}, 1000,
                        [&](std::string_view) -> drover::Status {
                          ++messages;
                          return drover::Ok();
                        },
                        out);
      // A streaming call's request side: more than the default windows, queued while
      // replies arrive and half-closed halfway, so window updates release request data.
      session.QueueMessage(std::string(70000, 'x'));
      session.AppendRequestData(out);
      // Fed in pieces, as reads would deliver it.
      std::string buffer;
      for (size_t at = 0; at < in.size(); at += 7) {
        buffer.append(in.substr(at, 7));
        std::string_view view = buffer;
        if (!session.Receive(view, out)) break;
        buffer.erase(0, buffer.size() - view.size());
        if (at == in.size() / 2 / 7 * 7) {
          session.QueueMessage("y");
          session.CloseRequest();
          session.AppendRequestData(out);
        }
        if (session.call_done()) {
          (void)session.TakeStatus();
          break;
        }
      }
      break;
    }
  }
  return 0;
}
