// BM25 inverted index over analyzed terms: real deletion, exact statistics, MaxScore top-k.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vesper/bitset.h"
#include "vesper/ids.h"

namespace vesper {

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
};

/// Throws Error kInvalidArgument (component "bm25") if k1 is not a finite number > 0 or b is not in [0, 1].
void validate_bm25_params(const Bm25Params& params);

/// score(d, q) = Σ over the DISTINCT terms t of q present in d of
///     IDF(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len(d)/avgdl)),   IDF(t) = ln(1 + (N − df + 0.5)/(df + 0.5))
/// with N = live documents, df = live documents containing t, len(d) = d's token count (repeats
/// included) and avgdl the mean len over live documents. A term repeated in the query counts once
/// (queries are short; a repeated word is rarely a deliberate weight). Statistics are exact at all
/// times: remove() takes a document out of N, df and avgdl immediately.
///
/// Threading: const methods never mutate, so any number of threads may call them concurrently while
/// no writer runs. add()/remove() need exclusive access (the collection's write lock).
class Bm25Index {
 public:
  explicit Bm25Index(Bm25Params params = {});

  /// Indexes `tokens` (an analyzer's output) as document `id`. A document that is already present is
  /// replaced. A document without tokens still counts in N and avgdl (it has length 0).
  void add(DocId id, const std::vector<std::string>& tokens);
  /// Removes document `id`; does nothing if it is not present.
  void remove(DocId id);
  bool contains(DocId id) const noexcept;
  /// One past the largest id the index has seen.
  std::size_t id_bound() const noexcept { return docs_.size(); }

  /// Live documents (N).
  std::size_t doc_count() const noexcept { return live_docs_; }
  /// Mean token count over live documents (0 when empty).
  double average_length() const noexcept;
  /// Live documents containing `term` (0 for an unknown term).
  std::size_t doc_frequency(std::string_view term) const noexcept;
  /// IDF of `term` with the current N and df (an unknown term has df = 0).
  double idf(std::string_view term) const noexcept;
  const Bm25Params& params() const noexcept { return params_; }

  /// The k best documents for the query terms, best first (score desc, then id asc). Only documents
  /// containing at least one query term are returned, and only those in `allowed` when it is given
  /// (nullptr = every document). Fills k whenever k such documents exist. Uses MaxScore: lists whose
  /// score upper bound cannot lift a document into the top k are only probed, never scanned.
  std::vector<ScoredId> search(const std::vector<std::string>& query_tokens, std::size_t k,
                               const Bitset* allowed) const;
  /// Same contract and bit-identical scores as search(), scoring every candidate: the reference that
  /// tests compare MaxScore against.
  std::vector<ScoredId> search_exhaustive(const std::vector<std::string>& query_tokens, std::size_t k,
                                          const Bitset* allowed) const;

  /// Approximate heap bytes held by the index.
  std::size_t memory_bytes() const noexcept;

  /// The whole index as bytes (for checkpoints), and back: loading postings is much faster than
  /// analysing every text again. deserialize() validates every id and length against the data
  /// (Error kCorruption naming `what`), so a damaged section is reported, never trusted.
  void serialize(std::string& out) const;
  static Bm25Index deserialize(std::string_view bytes, Bm25Params params, const std::string& what);

 private:
  using TermId = std::uint32_t;

  struct Posting {
    DocId id;
    std::uint32_t tf;  // 0 marks a removed document until the list is compacted
  };

  /// Smallest document length seen for each tf (tf = 1, 2, 3 and 4+), and the largest tf: with
  /// BM25 increasing in tf and decreasing in length, max over these pairs bounds every posting.
  /// Kept conservative when postings die; recomputed exactly when the list is compacted.
  static constexpr std::size_t kTfBuckets = 4;
  struct PostingList {
    std::vector<Posting> postings;  // sorted by id
    std::uint32_t dead = 0;         // tombstoned postings
    std::uint32_t max_tf = 0;
    std::array<std::uint32_t, kTfBuckets> min_len{};  // per tf bucket; UINT32_MAX = none
    std::size_t live() const noexcept { return postings.size() - dead; }
  };

  struct DocEntry {
    std::uint64_t terms = 0;  // offset in doc_terms_ of its distinct terms, to find the postings on removal
    std::uint32_t term_count = 0;
    std::uint32_t live = 0;
  };

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  struct QueryTerm;  // defined in the .cpp
  std::vector<QueryTerm> query_terms(const std::vector<std::string>& query_tokens) const;

  TermId term_id_for_insert(const std::string& term);
  const PostingList* find_list(std::string_view term) const noexcept;
  void insert_posting(PostingList& list, DocId id, std::uint32_t tf, std::uint32_t len);
  void kill_posting(TermId term, DocId id);
  void compact(TermId term);
  static void note_bound(PostingList& list, std::uint32_t tf, std::uint32_t len) noexcept;
  double idf_for(std::size_t df) const noexcept;

  Bm25Params params_;
  std::unordered_map<std::string, TermId, StringHash, std::equal_to<>> dictionary_;
  std::vector<PostingList> lists_;        // by TermId
  std::vector<const std::string*> term_names_;  // by TermId: the dictionary key, to drop an emptied term
  std::vector<TermId> free_term_ids_;
  std::vector<std::uint32_t> doc_len_;    // by DocId (read by every scored posting)
  std::vector<DocEntry> docs_;            // by DocId
  std::vector<TermId> doc_terms_;         // append-only arena of documents' term lists (one allocation, not one per doc)
  std::size_t live_docs_ = 0;
  std::uint64_t total_length_ = 0;
};

}  // namespace vesper
