#include "vesper/batch_codec.h"

#include "vesper/byte_io.h"

namespace vesper {
namespace {

enum : std::uint8_t { kHasId = 1, kHasKey = 2, kHasVector = 4, kHasText = 8, kHasPayload = 16 };
enum : std::uint8_t { kString = 0, kDouble = 1, kInteger = 2, kBool = 3, kTags = 4 };

void encode_ref(ByteWriter& w, const std::optional<std::uint64_t>& id, const std::optional<std::string>& key) {
  w.u8(static_cast<std::uint8_t>((id ? kHasId : 0) | (key ? kHasKey : 0)));
  if (id) w.u64(*id);
  if (key) w.bytes(*key);
}

}  // namespace

void encode_metadata(std::string& out, const Metadata& md) {
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(md.size()));
  for (const auto& [name, value] : md) {
    w.bytes(name);
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            w.u8(kString);
            w.bytes(v);
          } else if constexpr (std::is_same_v<T, double>) {
            w.u8(kDouble);
            w.f64(v);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            w.u8(kInteger);
            w.i64(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            w.u8(kBool);
            w.u8(v ? 1 : 0);
          } else {
            w.u8(kTags);
            w.u32(static_cast<std::uint32_t>(v.size()));
            for (const std::string& tag : v) w.bytes(tag);
          }
        },
        value);
  }
}

Metadata decode_metadata(ByteReader& in) {
  Metadata md;
  const std::uint32_t n = in.u32();
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string name(in.bytes());
    switch (in.u8()) {
      case kString: md.emplace_back(std::move(name), std::string(in.bytes())); break;
      case kDouble: md.emplace_back(std::move(name), in.f64()); break;
      case kInteger: md.emplace_back(std::move(name), in.i64()); break;
      case kBool: md.emplace_back(std::move(name), in.u8() != 0); break;
      case kTags: {
        Tags tags(in.u32());
        for (std::string& t : tags) t = in.bytes();
        md.emplace_back(std::move(name), std::move(tags));
        break;
      }
      default: in.fail("unknown metadata value type");
    }
  }
  return md;
}

std::string encode_batch(const std::vector<WriteOp>& batch) {
  std::string out;
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(batch.size()));
  for (const WriteOp& op : batch) {
    w.u8(op.kind == WriteOp::Kind::kRemove ? 1 : 0);
    if (op.kind == WriteOp::Kind::kRemove) {
      encode_ref(w, op.ref.id, op.ref.key);
      continue;
    }
    const DocumentInput& d = op.doc;
    const std::span<const float> v = d.vector_span();
    w.u8(static_cast<std::uint8_t>((d.id ? kHasId : 0) | (d.key ? kHasKey : 0) | (!v.empty() ? kHasVector : 0) |
                                   (d.text ? kHasText : 0) | (d.payload ? kHasPayload : 0)));
    if (d.id) w.u64(*d.id);
    if (d.key) w.bytes(*d.key);
    if (!v.empty()) {
      w.u32(static_cast<std::uint32_t>(v.size()));
      w.floats(v.data(), v.size());
    }
    if (d.text) w.bytes(*d.text);
    if (d.payload) w.bytes(*d.payload);
    encode_metadata(out, d.metadata);
  }
  return out;
}

std::vector<WriteOp> decode_batch(std::string_view payload, const std::string& what) {
  ByteReader in(payload, what);
  const std::uint32_t n = in.u32();
  if (n > payload.size()) in.fail("implausible operation count");
  std::vector<WriteOp> batch(n);
  for (WriteOp& op : batch) {
    const std::uint8_t kind = in.u8();
    if (kind > 1) in.fail("unknown operation kind");
    const std::uint8_t flags = in.u8();
    if (kind == 1) {
      op.kind = WriteOp::Kind::kRemove;
      if (flags & kHasId) op.ref.id = in.u64();
      if (flags & kHasKey) op.ref.key = std::string(in.bytes());
      continue;
    }
    DocumentInput& d = op.doc;
    if (flags & kHasId) d.id = in.u64();
    if (flags & kHasKey) d.key = std::string(in.bytes());
    if (flags & kHasVector) {
      const std::uint32_t dim = in.u32();
      if (dim > payload.size() / sizeof(float)) in.fail("implausible vector size");
      d.owned_vector.resize(dim);
      in.floats(d.owned_vector.data(), dim);
    }
    if (flags & kHasText) d.text = std::string(in.bytes());
    if (flags & kHasPayload) d.payload = std::string(in.bytes());
    d.metadata = decode_metadata(in);
  }
  if (!in.done()) in.fail("trailing bytes after the last operation");
  return batch;
}

}  // namespace vesper
