// The Porter2 (Snowball English) stemmer, used by the `english` analyzer.
#pragma once

#include <string>
#include <string_view>

namespace vesper {

/// Stems one word with the Snowball English ("Porter2") algorithm as published at snowballstem.org
/// (the Snowball 3.x definition: R1 prefix exceptions gener/commun/arsen/emerg/inter/later/organ/past/
/// univers, the `-ogist` rule, the `-ying`/`-eed` special cases, no undoubling after a lone a/e/o).
///
/// The algorithm is defined over the English alphabet, so a word containing any non-ASCII byte is
/// returned unchanged; ASCII capitals are lowercased first. Digits count as non-vowels, as in Snowball.
std::string english_stem(std::string_view word);

}  // namespace vesper
