#include "vesper/english_stemmer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vesper {
namespace {

using Cases = std::vector<std::pair<std::string, std::string>>;

void expect_stems(const Cases& cases) {
  for (const auto& [word, stem] : cases) EXPECT_EQ(english_stem(word), stem) << "word: " << word;
}

}  // namespace

// The sample vocabulary published with the algorithm (snowballstem.org, English stemmer page).
TEST(EnglishStemmer, PublishedSampleVocabulary) {
  expect_stems({
      {"consign", "consign"},         {"consigned", "consign"},      {"consigning", "consign"},
      {"consignment", "consign"},     {"consist", "consist"},        {"consisted", "consist"},
      {"consistency", "consist"},     {"consistent", "consist"},     {"consistently", "consist"},
      {"consisting", "consist"},      {"consists", "consist"},       {"consolation", "consol"},
      {"consolations", "consol"},     {"consolatory", "consolatori"}, {"console", "consol"},
      {"consoled", "consol"},         {"consoles", "consol"},        {"consolidate", "consolid"},
      {"consolidated", "consolid"},   {"consolidating", "consolid"}, {"consoling", "consol"},
      {"consolingly", "consol"},      {"consols", "consol"},         {"consonant", "conson"},
      {"consort", "consort"},         {"consorted", "consort"},      {"consorting", "consort"},
      {"conspicuous", "conspicu"},    {"conspicuously", "conspicu"}, {"conspiracy", "conspiraci"},
      {"conspirator", "conspir"},     {"conspirators", "conspir"},   {"conspire", "conspir"},
      {"conspired", "conspir"},       {"conspiring", "conspir"},     {"constable", "constabl"},
      {"constables", "constabl"},     {"constance", "constanc"},     {"constancy", "constanc"},
      {"constant", "constant"},       {"knack", "knack"},            {"knackeries", "knackeri"},
      {"knacks", "knack"},            {"knag", "knag"},              {"knave", "knave"},
      {"knaves", "knave"},            {"knavish", "knavish"},        {"kneaded", "knead"},
      {"kneading", "knead"},          {"knee", "knee"},              {"kneel", "kneel"},
      {"kneeled", "kneel"},           {"kneeling", "kneel"},         {"kneels", "kneel"},
      {"knees", "knee"},              {"knell", "knell"},            {"knelt", "knelt"},
      {"knew", "knew"},               {"knick", "knick"},            {"knif", "knif"},
      {"knife", "knife"},             {"knight", "knight"},          {"knightly", "knight"},
      {"knights", "knight"},          {"knit", "knit"},              {"knits", "knit"},
      {"knitted", "knit"},            {"knitting", "knit"},          {"knives", "knive"},
      {"knob", "knob"},               {"knobs", "knob"},             {"knock", "knock"},
      {"knocked", "knock"},           {"knocker", "knocker"},        {"knockers", "knocker"},
      {"knocking", "knock"},          {"knocks", "knock"},           {"knopp", "knopp"},
      {"knot", "knot"},               {"knots", "knot"},
  });
}

// Examples given in the algorithm's definition, rule by rule.
TEST(EnglishStemmer, DefinitionExamples) {
  expect_stems({
      // Step 1a: ties -> tie, cries -> cri; gas and this keep their s, gaps and kiwis lose it.
      {"ties", "tie"}, {"cries", "cri"}, {"gas", "gas"}, {"this", "this"}, {"gaps", "gap"}, {"kiwis", "kiwi"},
      // Step 1b: luxuriat -> luxuriate, hopp -> hop, hop -> hope; add/egg/off keep their double.
      {"hopping", "hop"}, {"hoping", "hope"}, {"added", "add"}, {"egged", "egg"},
      // Step 1c: cry -> cri, by -> by, say -> say.
      {"cry", "cri"}, {"by", "by"}, {"say", "say"},
      // Short words: bed, shed and shred are short; bead, embed are not.
      {"bedding", "bed"}, {"shedding", "shed"}, {"shredding", "shred"},
      // -ing exceptions: dying -> die; inning, outing, canning, herring, earring, evening stay.
      {"dying", "die"}, {"lying", "lie"}, {"tying", "tie"}, {"vying", "vie"}, {"inning", "inning"},
      {"outing", "outing"}, {"canning", "canning"}, {"herring", "herring"}, {"herrings", "herring"},
      {"earring", "earring"}, {"evening", "evening"},
      // -eed exceptions.
      {"proceed", "proceed"}, {"exceed", "exceed"}, {"succeed", "succeed"}, {"agreed", "agre"},
      // R1 prefix exceptions: the gener- family keeps its meanings apart.
      {"generate", "generat"}, {"generates", "generat"}, {"generated", "generat"}, {"generating", "generat"},
      {"general", "general"}, {"generally", "general"}, {"generic", "generic"}, {"generically", "generic"},
      {"generous", "generous"}, {"generously", "generous"},
      // -ogist -> -og conflates geologist with geology.
      {"geologist", "geolog"}, {"geology", "geolog"},
      // Exceptional forms.
      {"skies", "sky"}, {"sky", "sky"}, {"idly", "idl"}, {"gently", "gentl"}, {"ugly", "ugli"}, {"early", "earli"},
      {"only", "onli"}, {"singly", "singl"}, {"news", "news"}, {"howe", "howe"}, {"atlas", "atlas"},
      {"cosmos", "cosmos"}, {"bias", "bias"}, {"andes", "andes"},
      // Familiar inflections.
      {"connection", "connect"}, {"connections", "connect"}, {"connected", "connect"}, {"connecting", "connect"},
      {"running", "run"}, {"runs", "run"}, {"easily", "easili"}, {"relational", "relat"},
      {"happiness", "happi"}, {"electricity", "electr"},
  });
}

TEST(EnglishStemmer, ApostrophesAndMarkedY) {
  expect_stems({
      {"dog's", "dog"}, {"dogs'", "dog"}, {"'quoted", "quot"},
      // y after a vowel is a consonant (marked Y internally, restored on output).
      {"saying", "say"}, {"buying", "buy"}, {"toys", "toy"}, {"yelling", "yell"},
  });
}

TEST(EnglishStemmer, ShortAndForeignWordsPassThrough) {
  EXPECT_EQ(english_stem(""), "");
  EXPECT_EQ(english_stem("is"), "is");  // two letters or less are left alone
  EXPECT_EQ(english_stem("as"), "as");
  EXPECT_EQ(english_stem("café"), "café");  // not ASCII: not English to the algorithm
  EXPECT_EQ(english_stem("naïvely"), "naïvely");
  EXPECT_EQ(english_stem("Running"), "run");  // ASCII capitals are folded first
  EXPECT_EQ(english_stem("mp3s"), "mp3s");    // digits are non-vowels
}

}  // namespace vesper
