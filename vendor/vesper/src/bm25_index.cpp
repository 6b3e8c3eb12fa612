// BM25 with exact statistics, tombstoned postings compacted per list, and MaxScore top-k.
//
// Layout: term -> TermId (hash map with heterogeneous lookup), TermId -> posting list sorted by doc
// id. Ids arrive increasing (every upsert takes a fresh id), so adding is an append. Removal marks the
// doc's postings with tf = 0 (binary search per term) and compacts a list once a quarter of it is
// dead, which keeps removal amortised O(log n) per term while df, N and avgdl stay exact.
//
// Scoring determinism: a document's score is the sum of its per-term contributions taken in query
// order, computed by one function (term_weight), then rounded to float once. search() and
// search_exhaustive() follow that recipe, so they return bit-identical scores and the same ties.
#include "vesper/bm25_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "vesper/byte_io.h"
#include "vesper/error.h"

namespace vesper {
namespace {

constexpr std::uint32_t kNoLen = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kEnd = std::uint64_t{1} << 32;  // past every DocId
// Upper bounds are inflated by this relative slack so that summing in another order than the
// scorer's (rounding differences ~1e-16) can never prune a document that belongs in the top k.
constexpr double kBoundSlack = 1e-9;

std::size_t tf_bucket(std::uint32_t tf) noexcept { return std::min<std::uint32_t>(tf, 4) - 1; }

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Per-query constants: contribution = weight·tf / (tf + (c0 + c1·len)), weight = IDF·(k1+1),
/// c0 = k1·(1−b), c1 = k1·b/avgdl — the textbook formula, with the per-query parts hoisted.
struct Scoring {
  double c0 = 0;
  double c1 = 0;
};

Scoring scoring(const Bm25Params& p, double avgdl) noexcept {
  return Scoring{p.k1 * (1 - p.b), avgdl > 0 ? p.k1 * p.b / avgdl : 0.0};
}

inline double term_weight(double weight, double tf, double len, const Scoring& s) noexcept {
  return weight * tf / (tf + (s.c0 + s.c1 * len));
}

/// The k best hits seen so far: a heap whose front is the worst (lowest score, then highest id).
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) {}
  bool full() const noexcept { return heap_.size() == k_; }
  /// Score of the worst kept hit; meaningful only when full().
  double threshold() const noexcept { return heap_.front().score; }
  /// Keeps `hit` if it belongs in the top k; returns whether it did.
  bool offer(ScoredId hit) {
    if (heap_.size() < k_) {
      heap_.push_back(hit);
      std::push_heap(heap_.begin(), heap_.end(), better_hit);
      return true;
    }
    if (!better_hit(hit, heap_.front())) return false;
    std::pop_heap(heap_.begin(), heap_.end(), better_hit);
    heap_.back() = hit;
    std::push_heap(heap_.begin(), heap_.end(), better_hit);
    return true;
  }
  std::vector<ScoredId> take() && {
    std::sort(heap_.begin(), heap_.end(), better_hit);
    return std::move(heap_);
  }

 private:
  std::size_t k_;
  std::vector<ScoredId> heap_;
};

}  // namespace

struct Bm25Index::QueryTerm {
  const PostingList* list;
  double weight;  // IDF·(k1+1)
  double upper;   // bound on this term's contribution to any document (slack included)
  std::size_t slot;  // position in query order: the summation order of a score
};

void validate_bm25_params(const Bm25Params& params) {
  if (!std::isfinite(params.k1) || !(params.k1 > 0)) {
    throw Error(ErrorCode::kInvalidArgument, "bm25", "bm25.k1 must be a finite number > 0, got " + number(params.k1));
  }
  if (!(params.b >= 0 && params.b <= 1)) {
    throw Error(ErrorCode::kInvalidArgument, "bm25", "bm25.b must be in [0, 1], got " + number(params.b));
  }
}

Bm25Index::Bm25Index(Bm25Params params) : params_(params) { validate_bm25_params(params_); }

// ---- writes -------------------------------------------------------------------------------------------

Bm25Index::TermId Bm25Index::term_id_for_insert(const std::string& term) {
  if (auto it = dictionary_.find(std::string_view(term)); it != dictionary_.end()) return it->second;
  TermId id;
  if (!free_term_ids_.empty()) {
    id = free_term_ids_.back();
    free_term_ids_.pop_back();
  } else {
    if (lists_.size() >= std::numeric_limits<TermId>::max()) {
      throw Error(ErrorCode::kInvalidArgument, "bm25", "too many distinct terms");
    }
    id = static_cast<TermId>(lists_.size());
    lists_.emplace_back();
    term_names_.push_back(nullptr);
  }
  auto [it, inserted] = dictionary_.emplace(term, id);
  (void)inserted;
  term_names_[id] = &it->first;  // node-based map: the key's address is stable
  PostingList& list = lists_[id];
  list.postings.clear();
  list.dead = 0;
  list.max_tf = 0;
  list.min_len.fill(kNoLen);
  return id;
}

void Bm25Index::note_bound(PostingList& list, std::uint32_t tf, std::uint32_t len) noexcept {
  list.max_tf = std::max(list.max_tf, tf);
  std::uint32_t& m = list.min_len[tf_bucket(tf)];
  m = std::min(m, len);
}

void Bm25Index::insert_posting(PostingList& list, DocId id, std::uint32_t tf, std::uint32_t len) {
  std::vector<Posting>& v = list.postings;
  if (v.empty() || v.back().id < id) {
    v.push_back(Posting{id, tf});
  } else {
    auto it = std::lower_bound(v.begin(), v.end(), id, [](const Posting& p, DocId d) { return p.id < d; });
    if (it != v.end() && it->id == id) {
      it->tf = tf;  // revives the tombstone of this id's previous incarnation
      --list.dead;
    } else {
      v.insert(it, Posting{id, tf});
    }
  }
  note_bound(list, tf, len);
}

void Bm25Index::add(DocId id, const std::vector<std::string>& tokens) {
  if (tokens.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(ErrorCode::kInvalidArgument, "bm25", "document has too many tokens");
  }
  if (contains(id)) remove(id);
  std::vector<TermId> terms;
  terms.reserve(tokens.size());
  for (const std::string& t : tokens) terms.push_back(term_id_for_insert(t));
  std::sort(terms.begin(), terms.end());
  // Runs of equal ids: (term, tf).
  std::vector<std::pair<TermId, std::uint32_t>> runs;
  for (std::size_t i = 0; i < terms.size();) {
    std::size_t j = i;
    while (j < terms.size() && terms[j] == terms[i]) ++j;
    runs.emplace_back(terms[i], static_cast<std::uint32_t>(j - i));
    i = j;
  }

  if (docs_.size() <= id) {
    docs_.resize(static_cast<std::size_t>(id) + 1);
    doc_len_.resize(static_cast<std::size_t>(id) + 1, 0);
  }
  const auto len = static_cast<std::uint32_t>(tokens.size());
  DocEntry& doc = docs_[id];
  doc.terms = doc_terms_.size();
  doc.term_count = static_cast<std::uint32_t>(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    doc_terms_.push_back(runs[i].first);
    insert_posting(lists_[runs[i].first], id, runs[i].second, len);
  }
  doc_len_[id] = len;
  doc.live = 1;
  ++live_docs_;
  total_length_ += len;
}

void Bm25Index::compact(TermId term) {
  PostingList& list = lists_[term];
  std::erase_if(list.postings, [](const Posting& p) { return p.tf == 0; });
  list.dead = 0;
  list.max_tf = 0;
  list.min_len.fill(kNoLen);
  for (const Posting& p : list.postings) note_bound(list, p.tf, doc_len_[p.id]);
  if (list.postings.capacity() > 2 * list.postings.size() + 16) list.postings.shrink_to_fit();
}

void Bm25Index::kill_posting(TermId term, DocId id) {
  PostingList& list = lists_[term];
  auto it = std::lower_bound(list.postings.begin(), list.postings.end(), id,
                             [](const Posting& p, DocId d) { return p.id < d; });
  if (it == list.postings.end() || it->id != id || it->tf == 0) return;  // cannot happen: docs_ is the truth
  it->tf = 0;
  ++list.dead;
  if (list.live() == 0) {
    // Last document with this term: forget the term and recycle its slot.
    dictionary_.erase(dictionary_.find(std::string_view(*term_names_[term])));
    term_names_[term] = nullptr;
    list.postings = {};
    list.dead = 0;
    free_term_ids_.push_back(term);
  } else if (list.dead * std::size_t{4} >= list.postings.size()) {
    compact(term);
  }
}

void Bm25Index::remove(DocId id) {
  if (!contains(id)) return;
  DocEntry& doc = docs_[id];
  for (std::uint32_t i = 0; i < doc.term_count; ++i) kill_posting(doc_terms_[doc.terms + i], id);
  --live_docs_;
  total_length_ -= doc_len_[id];
  doc_len_[id] = 0;
  doc.terms = 0;
  doc.term_count = 0;
  doc.live = 0;
}

// ---- reads -------------------------------------------------------------------------------------------

bool Bm25Index::contains(DocId id) const noexcept { return id < docs_.size() && docs_[id].live != 0; }

double Bm25Index::average_length() const noexcept {
  return live_docs_ == 0 ? 0.0 : static_cast<double>(total_length_) / static_cast<double>(live_docs_);
}

const Bm25Index::PostingList* Bm25Index::find_list(std::string_view term) const noexcept {
  auto it = dictionary_.find(term);
  return it == dictionary_.end() ? nullptr : &lists_[it->second];
}

std::size_t Bm25Index::doc_frequency(std::string_view term) const noexcept {
  const PostingList* list = find_list(term);
  return list == nullptr ? 0 : list->live();
}

double Bm25Index::idf_for(std::size_t df) const noexcept {
  const auto n = static_cast<double>(live_docs_);
  const auto d = static_cast<double>(df);
  return std::log1p((n - d + 0.5) / (d + 0.5));
}

double Bm25Index::idf(std::string_view term) const noexcept { return idf_for(doc_frequency(term)); }

std::vector<Bm25Index::QueryTerm> Bm25Index::query_terms(const std::vector<std::string>& query_tokens) const {
  // Distinct tokens in first-occurrence order.
  std::vector<std::size_t> order(query_tokens.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return query_tokens[a] < query_tokens[b]; });
  std::vector<std::size_t> firsts;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || query_tokens[order[i]] != query_tokens[order[i - 1]]) firsts.push_back(order[i]);
  }
  std::sort(firsts.begin(), firsts.end());

  const Scoring s = scoring(params_, average_length());
  std::vector<QueryTerm> terms;
  for (std::size_t i : firsts) {
    const PostingList* list = find_list(query_tokens[i]);
    if (list == nullptr || list->live() == 0) continue;
    const double weight = idf_for(list->live()) * (params_.k1 + 1);
    double upper = 0;
    for (std::size_t bucket = 0; bucket < kTfBuckets; ++bucket) {
      if (list->min_len[bucket] == kNoLen) continue;
      const double tf = bucket + 1 < kTfBuckets ? static_cast<double>(bucket + 1) : static_cast<double>(list->max_tf);
      upper = std::max(upper, term_weight(weight, tf, list->min_len[bucket], s));
    }
    terms.push_back(QueryTerm{list, weight, upper * (1 + kBoundSlack), terms.size()});
  }
  return terms;
}

std::vector<ScoredId> Bm25Index::search(const std::vector<std::string>& query_tokens, std::size_t k,
                                        const Bitset* allowed) const {
  if (k == 0 || live_docs_ == 0) return {};
  const std::vector<QueryTerm> terms = query_terms(query_tokens);
  if (terms.empty()) return {};
  const Scoring s = scoring(params_, average_length());

  struct Cur {
    const Posting* pos;
    const Posting* end;
    double weight;
    double upper;
    std::size_t slot;
    std::uint64_t doc() const noexcept { return pos == end ? kEnd : pos->id; }
    void skip_dead() noexcept {
      while (pos != end && pos->tf == 0) ++pos;
    }
    void next() noexcept {
      ++pos;
      skip_dead();
    }
    // First live posting with id >= target (galloping: targets are usually close).
    void seek(std::uint64_t target) noexcept {
      if (pos == end || pos->id >= target) return;
      std::size_t step = 1;
      const Posting* lo = pos;
      while (step < static_cast<std::size_t>(end - lo) && lo[step].id < target) {
        lo += step;
        step *= 2;
      }
      const Posting* hi = step < static_cast<std::size_t>(end - lo) ? lo + step : end;
      pos = std::lower_bound(lo + 1, hi, target, [](const Posting& p, std::uint64_t d) { return p.id < d; });
      skip_dead();
    }
  };

  // MaxScore: cursors by ascending upper bound; prefix[i] bounds a doc found only in lists 0..i.
  // Lists [0, essential) cannot lift a doc into the top k on their own: they are probed for the
  // candidates the essential lists produce, never scanned.
  const std::size_t n = terms.size();
  std::vector<Cur> cur(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = terms[i].list->postings;
    cur[i] = Cur{p.data(), p.data() + p.size(), terms[i].weight, terms[i].upper, terms[i].slot};
    cur[i].skip_dead();
  }
  std::sort(cur.begin(), cur.end(),
            [](const Cur& a, const Cur& b) { return a.upper != b.upper ? a.upper < b.upper : a.slot < b.slot; });
  std::vector<double> prefix(n);
  double acc = 0;
  for (std::size_t i = 0; i < n; ++i) prefix[i] = acc += cur[i].upper;

  // A selective filter drives the traversal (leapfrog over its sorted ids); a broad one is a bit test.
  std::vector<DocId> allowed_ids;
  bool driven = false;
  if (allowed != nullptr) {
    const std::size_t count = allowed->count();
    if (count == 0) return {};
    std::size_t postings = 0;
    for (const QueryTerm& t : terms) postings += t.list->live();
    if (count * 8 < postings) {
      allowed_ids = allowed->to_vector();
      driven = true;
    }
  }
  std::size_t next_allowed = 0;

  std::vector<double> contrib(n, 0.0);  // by slot
  TopK top(k);
  std::size_t essential = 0;
  const auto min_essential = [&] {
    std::uint64_t m = kEnd;
    for (std::size_t i = essential; i < n; ++i) m = std::min(m, cur[i].doc());
    return m;
  };

  std::uint64_t doc = min_essential();
  while (doc < kEnd) {
    if (driven) {
      // Leapfrog to the first allowed id >= doc.
      auto it = std::lower_bound(allowed_ids.begin() + static_cast<std::ptrdiff_t>(next_allowed), allowed_ids.end(),
                                 static_cast<DocId>(doc));
      next_allowed = static_cast<std::size_t>(it - allowed_ids.begin());
      if (it == allowed_ids.end()) break;
      if (*it != doc) {
        for (std::size_t i = essential; i < n; ++i) cur[i].seek(*it);
        doc = min_essential();
        continue;
      }
    } else if (allowed != nullptr && !allowed->test(static_cast<DocId>(doc))) {
      std::uint64_t next = kEnd;
      for (std::size_t i = essential; i < n; ++i) {
        if (cur[i].doc() == doc) cur[i].next();
        next = std::min(next, cur[i].doc());
      }
      doc = next;
      continue;
    }

    const auto len = static_cast<double>(doc_len_[doc]);
    double partial = 0;
    std::uint64_t next = kEnd;
    for (std::size_t i = essential; i < n; ++i) {
      Cur& c = cur[i];
      if (c.doc() == doc) {
        const double w = term_weight(c.weight, c.pos->tf, len, s);
        contrib[c.slot] = w;
        partial += w;
        c.next();
      }
      next = std::min(next, c.doc());
    }
    bool pruned = false;
    for (std::size_t i = essential; i-- > 0;) {
      if (top.full() && partial + prefix[i] <= top.threshold()) {
        pruned = true;
        break;
      }
      Cur& c = cur[i];
      c.seek(doc);
      if (c.doc() == doc) {
        const double w = term_weight(c.weight, c.pos->tf, len, s);
        contrib[c.slot] = w;
        partial += w;
      }
    }
    double score = 0;
    for (double& w : contrib) {
      score += w;
      w = 0;
    }
    if (!pruned && top.offer(ScoredId{static_cast<DocId>(doc), static_cast<float>(score)}) && top.full()) {
      const std::size_t before = essential;
      while (essential < n && prefix[essential] <= top.threshold()) ++essential;
      if (essential == n) break;  // no document can enter any more
      if (essential != before) next = min_essential();
    }
    doc = next;
  }
  return std::move(top).take();
}

std::vector<ScoredId> Bm25Index::search_exhaustive(const std::vector<std::string>& query_tokens, std::size_t k,
                                                   const Bitset* allowed) const {
  if (k == 0 || live_docs_ == 0) return {};
  const std::vector<QueryTerm> terms = query_terms(query_tokens);
  if (terms.empty()) return {};
  const Scoring s = scoring(params_, average_length());

  std::vector<DocId> candidates;
  for (const QueryTerm& t : terms) {
    for (const Posting& p : t.list->postings) {
      if (p.tf != 0 && (allowed == nullptr || allowed->test(p.id))) candidates.push_back(p.id);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::vector<ScoredId> hits;
  hits.reserve(candidates.size());
  for (DocId d : candidates) {
    const auto len = static_cast<double>(doc_len_[d]);
    double score = 0;
    for (const QueryTerm& t : terms) {  // query order, as search() sums
      const auto& p = t.list->postings;
      auto it = std::lower_bound(p.begin(), p.end(), d, [](const Posting& x, DocId id) { return x.id < id; });
      const double w = it != p.end() && it->id == d && it->tf != 0 ? term_weight(t.weight, it->tf, len, s) : 0.0;
      score += w;
    }
    hits.push_back(ScoredId{d, static_cast<float>(score)});
  }
  const std::size_t keep = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), better_hit);
  hits.resize(keep);
  return hits;
}

std::size_t Bm25Index::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(*this);
  // Hash map: one node per term (key, value, next pointer, cached hash) plus the bucket array.
  bytes += dictionary_.bucket_count() * sizeof(void*);
  for (const auto& [term, id] : dictionary_) {
    bytes += sizeof(std::string) + sizeof(TermId) + 2 * sizeof(void*) + sizeof(std::size_t);
    if (term.capacity() > 15) bytes += term.capacity() + 1;
  }
  bytes += lists_.capacity() * sizeof(PostingList);
  for (const PostingList& l : lists_) bytes += l.postings.capacity() * sizeof(Posting);
  bytes += term_names_.capacity() * sizeof(const std::string*) + free_term_ids_.capacity() * sizeof(TermId);
  bytes += doc_len_.capacity() * sizeof(std::uint32_t) + docs_.capacity() * sizeof(DocEntry);
  bytes += doc_terms_.capacity() * sizeof(TermId);
  return bytes;
}

// ---- persistence -------------------------------------------------------------------------------------
// Layout (little-endian): u64 live_docs | u64 total_length | u64 docs | per doc: u32 len, u32 live,
// u32 term_count, term ids | u64 lists | per list: name (u64 length + bytes; empty = free slot),
// u32 dead, u32 max_tf, u32 min_len[4], u64 postings, (u32 id, u32 tf) pairs | u64 free ids, ids.
// Documents' term lists are written compactly (the arena's garbage is not).

void Bm25Index::serialize(std::string& out) const {
  ByteWriter w(out);
  w.u64(live_docs_);
  w.u64(total_length_);
  w.u64(docs_.size());
  for (std::size_t id = 0; id < docs_.size(); ++id) {
    const DocEntry& d = docs_[id];
    w.u32(doc_len_[id]);
    w.u32(d.live);
    w.u32(d.term_count);
    w.raw(doc_terms_.data() + d.terms, d.term_count * sizeof(TermId));
  }
  w.u64(lists_.size());
  for (std::size_t t = 0; t < lists_.size(); ++t) {
    const PostingList& l = lists_[t];
    w.bytes(term_names_[t] != nullptr ? std::string_view(*term_names_[t]) : std::string_view());
    w.u32(l.dead);
    w.u32(l.max_tf);
    w.raw(l.min_len.data(), sizeof(l.min_len));
    w.u64(l.postings.size());
    static_assert(sizeof(Posting) == 8);
    w.raw(l.postings.data(), l.postings.size() * sizeof(Posting));
  }
  w.u64(free_term_ids_.size());
  w.raw(free_term_ids_.data(), free_term_ids_.size() * sizeof(TermId));
}

Bm25Index Bm25Index::deserialize(std::string_view bytes, Bm25Params params, const std::string& what) {
  ByteReader in(bytes, what);
  Bm25Index index(params);
  index.live_docs_ = in.u64();
  index.total_length_ = in.u64();
  const std::uint64_t docs = in.u64();
  if (docs > bytes.size()) in.fail("implausible document count");
  index.docs_.resize(docs);
  index.doc_len_.resize(docs);
  std::uint64_t live = 0;
  std::uint64_t total = 0;
  for (std::size_t id = 0; id < docs; ++id) {
    DocEntry& d = index.docs_[id];
    index.doc_len_[id] = in.u32();
    d.live = in.u32();
    d.term_count = in.u32();
    if (d.live > 1 || (d.live == 0 && (d.term_count != 0 || index.doc_len_[id] != 0))) in.fail("bad text index document entry");
    if (d.term_count > bytes.size()) in.fail("implausible term count");
    d.terms = index.doc_terms_.size();
    index.doc_terms_.resize(index.doc_terms_.size() + d.term_count);
    in.raw(index.doc_terms_.data() + d.terms, d.term_count * sizeof(TermId));
    live += d.live;
    total += index.doc_len_[id];
  }
  if (live != index.live_docs_ || total != index.total_length_) in.fail("text index totals do not match its documents");
  const std::uint64_t lists = in.u64();
  if (lists > bytes.size() || lists > std::numeric_limits<TermId>::max()) in.fail("implausible term count");
  index.lists_.resize(lists);
  index.term_names_.assign(lists, nullptr);
  index.dictionary_.reserve(lists);
  for (std::size_t t = 0; t < lists; ++t) {
    PostingList& l = index.lists_[t];
    const std::string_view name = in.bytes();
    l.dead = in.u32();
    l.max_tf = in.u32();
    in.raw(l.min_len.data(), sizeof(l.min_len));
    const std::uint64_t n = in.u64();
    if (n > docs) in.fail("posting list longer than the document count");
    l.postings.resize(n);
    in.raw(l.postings.data(), n * sizeof(Posting));
    std::uint32_t dead = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Posting& p = l.postings[i];
      if (p.id >= docs || (i > 0 && l.postings[i - 1].id >= p.id)) in.fail("posting list not sorted by document id");
      dead += p.tf == 0 ? 1 : 0;
    }
    if (dead != l.dead) in.fail("posting list tombstone count does not match");
    if (name.empty()) {
      if (n != 0) in.fail("free term slot with postings");
      continue;
    }
    auto [it, inserted] = index.dictionary_.emplace(std::string(name), static_cast<TermId>(t));
    if (!inserted) in.fail("duplicate term in the text index");
    index.term_names_[t] = &it->first;
  }
  for (const TermId term : index.doc_terms_) {
    if (term >= lists || index.term_names_[term] == nullptr) in.fail("document refers to an unknown term");
  }
  const std::uint64_t free_ids = in.u64();
  if (free_ids > lists) in.fail("implausible free term count");
  index.free_term_ids_.resize(free_ids);
  in.raw(index.free_term_ids_.data(), free_ids * sizeof(TermId));
  for (const TermId term : index.free_term_ids_) {
    if (term >= lists || index.term_names_[term] != nullptr) in.fail("bad free term slot");
  }
  if (!in.done()) in.fail("trailing bytes in the text index");
  return index;
}

}  // namespace vesper
