#include "builtin_writer.hpp"

#include <blogen/core/text.hpp>

#include <blogen/gen/answer.hpp>
#include <blogen/gen/templates.hpp>

#include "builtin_composer.hpp"
#include "builtin_planner.hpp"
#include "builtin_random.hpp"
#include "builtin_text.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace blogen::gen::builtin {
namespace {

constexpr std::size_t k_unlimited = std::numeric_limits<std::size_t>::max();

/// A run of sentences under an optional `###` subheading, drawn from one angle.
struct Block {
  std::string subheading;
  Angle angle = Angle::general;
  std::vector<std::string> sentences;
  bool exhausted = false;
};

/// The introduction, one body section, or the closing section, while it is being filled.
struct Part {
  enum class Kind { intro, body, closing };
  Kind kind = Kind::body;
  std::string heading;
  BlockStyle style = BlockStyle::paragraphs;
  std::string lead_in;
  std::string focus_keyword;
  std::vector<Block> blocks;
  std::string cta;
  std::size_t words = 0;
  double budget = 1;
  std::size_t paragraph_size = 3;
  bool full = false;
};

class DraftWriter {
public:
  DraftWriter(const Brief& brief, Rng& rng)
      : m_brief(brief), m_context(make_context(brief)), m_rng(rng), m_composer(m_context, m_rng) {}

  std::string write() {
    m_plan = plan_draft(m_context, m_brief, m_composer, m_rng);
    build_parts();
    lay_skeleton();
    fill_to_target();
    return render();
  }

private:
  void build_parts() {
    Part intro;
    intro.kind = Part::Kind::intro;
    intro.blocks.push_back(Block{{}, Angle::why, {}, false});
    m_parts.push_back(std::move(intro));
    for (const auto& section : m_plan.sections) {
      Part part;
      part.heading = section.heading;
      part.style = section.style;
      part.lead_in = section.lead_in;
      part.focus_keyword = section.focus_keyword;
      part.blocks.push_back(Block{{}, section.angle, {}, false});
      m_parts.push_back(std::move(part));
    }
    Part closing;
    closing.kind = Part::Kind::closing;
    closing.heading = m_plan.closing_heading;
    closing.style = m_plan.closing_style;
    closing.blocks.push_back(Block{{}, Angle::general, {}, false});
    m_parts.push_back(std::move(closing));
    for (auto& part : m_parts)
      part.paragraph_size = static_cast<std::size_t>(m_rng.between(3, 5));
  }

  std::size_t fixed_words() const {
    std::size_t words = count_words(m_plan.title) + count_words(m_plan.greeting);
    for (const auto& part : m_parts)
      words += count_words(part.heading) + count_words(part.lead_in);
    return words;
  }

  void add(Part& part, std::string sentence) {
    const std::size_t words = count_words(sentence);
    part.words += words;
    m_total += words;
    part.blocks.back().sentences.push_back(std::move(sentence));
  }

  void lay_skeleton() {
    const double target = m_context.words;
    const ToneBank& tone = *m_context.tone;
    m_total = fixed_words();
    const std::size_t skeleton_sentences = m_parts.size() + (m_context.keywords.empty() ? 0 : 1);
    const double spare = std::max(0.0, target - static_cast<double>(m_total));
    // Each skeleton sentence gets an equal share of what the headings leave, so tiny targets stay tiny.
    const auto allowance = static_cast<std::size_t>(std::max(5.0, spare / static_cast<double>(skeleton_sentences)));

    Part& intro = m_parts.front();
    // In a very short post the keyword sentence is the whole introduction; a hook as well would overshoot.
    if (target >= 100 || m_context.keywords.empty()) add(intro, m_composer.pick(tone.hooks, allowance));
    if (!m_context.keywords.empty()) {
      add(intro, m_composer.pick(tone.keyword_promises, k_unlimited));
    } else if (target >= 300) {
      add(intro, m_composer.pick(tone.promises, allowance + 4));
    }
    for (std::size_t i = 1; i + 1 < m_parts.size(); ++i) {
      // The shortest sentence that is close to the allowance: widen the limit step by step.
      for (std::size_t limit = allowance; limit <= allowance + 40; limit += 2) {
        if (auto sentence = next_sentence(m_parts[i], limit)) {
          add(m_parts[i], std::move(*sentence));
          break;
        }
      }
    }
    Part& closing = m_parts.back();
    closing.cta = m_composer.pick(m_plan.ctas, allowance);
    m_total += count_words(closing.cta);
    closing.words += count_words(closing.cta);
    if (target >= 200) {
      if (auto conclusion = m_composer.fresh(tone.conclusions, allowance + 6)) add(closing, std::move(*conclusion));
    }

    // Budgets: introduction and closing stay short however long the post; the sections share the rest.
    const double intro_budget = std::min(target * 0.12, 170.0);
    const double closing_budget = std::min(target * 0.10, 140.0);
    const double body_budget =
        std::max(1.0, target - static_cast<double>(fixed_words()) - intro_budget - closing_budget) /
        static_cast<double>(m_parts.size() - 2);
    for (auto& part : m_parts) {
      part.budget = part.kind == Part::Kind::intro     ? intro_budget
                    : part.kind == Part::Kind::closing ? closing_budget
                                                       : body_budget;
    }
  }

  /// The next sentence for a part: its angle, then the general bank; nothing if none fits in `max_words`.
  std::optional<std::string> next_sentence(Part& part, std::size_t max_words) {
    const SentenceStyle style = part.style == BlockStyle::paragraphs ? SentenceStyle::prose : SentenceStyle::list_item;
    if (part.kind == Part::Kind::closing) {
      if (auto conclusion = m_composer.fresh(m_context.tone->conclusions, max_words)) return conclusion;
    }
    Block& block = part.blocks.back();
    if (style == SentenceStyle::prose && !block.sentences.empty() && part.kind == Part::Kind::body) {
      if (auto aside = m_composer.maybe_aside(max_words)) return aside;
    }
    if (auto own = m_composer.sentence(block.angle, style, part.focus_keyword, max_words)) return own;
    // Bullet lists hold items of their own kind only ("what you'll need", features); general advice would
    // read as a stray item.
    if (part.style == BlockStyle::bullets && part.kind == Part::Kind::body) return std::nullopt;
    return m_composer.sentence(Angle::general, style, part.focus_keyword, max_words);
  }

  /// A long section whose banks ran dry continues under a `###` subheading borrowed from an unused angle.
  bool open_subsection(Part& part) {
    // A section well within its budget may grow a subsection; so may any section while the draft as a whole is
    // still clearly short, because material is what runs out first in long drafts.
    const bool draft_short = static_cast<double>(m_total) < m_context.words * 0.93;
    // A list of things to gather stays one list: a borrowed subsection under it would read as a stray item.
    if (part.style == BlockStyle::bullets) return false;
    if (part.kind != Part::Kind::body || (part.budget - static_cast<double>(part.words) < 60 && !draft_short)) {
      return false;
    }
    if (m_plan.borrow_pool.empty()) return false;
    const Angle angle = m_plan.borrow_pool.back();
    m_plan.borrow_pool.pop_back();
    std::string heading = m_composer.fill_heading(m_rng.pick(m_composer.usable_headings(angle_bank(angle).headings)));
    m_total += count_words(heading);
    part.words += count_words(heading);
    part.blocks.push_back(Block{std::move(heading), angle, {}, false});
    return true;
  }

  void fill_to_target() {
    const auto target = static_cast<std::size_t>(m_context.words);
    const std::size_t ceiling = target + std::max<std::size_t>(2, target * 3 / 100);
    while (m_total < target) {
      Part* neediest = nullptr;
      for (auto& part : m_parts) {
        if (part.full) continue;
        if (neediest == nullptr ||
            static_cast<double>(part.words) / part.budget < static_cast<double>(neediest->words) / neediest->budget) {
          neediest = &part;
        }
      }
      // Every part is full or out of fresh sentences: the draft says less rather than repeat itself.
      if (neediest == nullptr) break;
      if (auto sentence = next_sentence(*neediest, ceiling - m_total)) {
        add(*neediest, std::move(*sentence));
        continue;
      }
      // Nothing fitted: either the gap is smaller than any sentence, or the banks are spent.
      if (!next_fits_when_unlimited(*neediest) && open_subsection(*neediest)) continue;
      neediest->full = true;
    }
  }

  /// Whether any sentence at all is left for the part (ignoring length); used before borrowing an angle.
  bool next_fits_when_unlimited(Part& part) {
    const Block& block = part.blocks.back();
    if (m_composer.has_fresh(block.angle, part.focus_keyword)) return true;
    return part.style != BlockStyle::bullets && m_composer.has_fresh(Angle::general, part.focus_keyword);
  }

  /// The first word of a sentence, lower-cased and without punctuation ("Honestly," -> "honestly").
  static std::string opening_word(std::string_view sentence) {
    const auto space = sentence.find(' ');
    std::string word = text::lower(sentence.substr(0, space));
    while (!word.empty() && (word.back() == ',' || word.back() == ':' || word.back() == '.' || word.back() == '!' ||
                             word.back() == '?')) {
      word.pop_back();
    }
    return word;
  }

  /// Paragraphs of prose: runs of `paragraph_size` sentences, each opening differently from the two paragraphs
  /// before it (a sentence that starts with another word is moved to the front when needed).
  std::vector<std::vector<std::string>> paragraphs_of(const Part& part, const Block& block,
                                                      std::vector<std::string>& recent_openings) const {
    std::vector<std::vector<std::string>> paragraphs;
    for (std::size_t i = 0; i < block.sentences.size(); i += part.paragraph_size) {
      const auto end = std::min(block.sentences.size(), i + part.paragraph_size);
      std::vector<std::string> paragraph(block.sentences.begin() + static_cast<std::ptrdiff_t>(i),
                                         block.sentences.begin() + static_cast<std::ptrdiff_t>(end));
      const auto repeats = [&](const std::string& sentence) {
        return std::find(recent_openings.begin(), recent_openings.end(), opening_word(sentence)) !=
               recent_openings.end();
      };
      if (repeats(paragraph.front())) {
        const auto fresh = std::find_if_not(paragraph.begin(), paragraph.end(), repeats);
        if (fresh != paragraph.end()) std::rotate(paragraph.begin(), fresh, fresh + 1);
      }
      recent_openings.push_back(opening_word(paragraph.front()));
      if (recent_openings.size() > 2) recent_openings.erase(recent_openings.begin());
      paragraphs.push_back(std::move(paragraph));
    }
    return paragraphs;
  }

  void render_sentences(std::string& out, const Part& part, const Block& block,
                        std::vector<std::string>& recent_openings) const {
    if (block.sentences.empty()) return;
    if (part.style == BlockStyle::bullets) {
      for (const auto& sentence : block.sentences)
        out += "- " + sentence + "\n";
      out += "\n";
      return;
    }
    if (part.style == BlockStyle::outline) {
      for (std::size_t i = 0; i < block.sentences.size(); ++i) {
        out += (i % 3 == 0 ? "- " : "  - ") + block.sentences[i] + "\n";
      }
      out += "\n";
      return;
    }
    for (const auto& paragraph : paragraphs_of(part, block, recent_openings)) {
      for (std::size_t i = 0; i < paragraph.size(); ++i)
        out += paragraph[i] + (i + 1 == paragraph.size() ? "\n\n" : " ");
    }
  }

  std::string render() const {
    std::string out = "# " + m_plan.title + "\n\n";
    std::vector<std::string> recent_openings;
    if (!m_plan.greeting.empty()) out += m_plan.greeting + "\n\n";
    for (const auto& part : m_parts) {
      if (!part.heading.empty()) out += "## " + part.heading + "\n\n";
      if (!part.lead_in.empty()) out += part.lead_in + "\n\n";
      for (const auto& block : part.blocks) {
        if (!block.subheading.empty()) out += "### " + block.subheading + "\n\n";
        render_sentences(out, part, block, recent_openings);
      }
      if (!part.cta.empty()) {
        out += (part.style == BlockStyle::paragraphs ? "" : "- ") + part.cta + "\n\n";
      }
    }
    while (!out.empty() && out.back() == '\n')
      out.pop_back();
    out += '\n';
    return out;
  }

  const Brief& m_brief;
  DraftContext m_context;
  Rng& m_rng;
  Composer m_composer;
  DraftPlan m_plan;
  std::vector<Part> m_parts;
  std::size_t m_total = 0;
};

} // namespace

std::uint64_t draft_seed(const Brief& brief) { return brief.seed ^ stable_hash(brief_topic(brief)); }

std::string write_blog_post(const Brief& brief) {
  Rng rng(draft_seed(brief));
  DraftWriter writer(brief, rng);
  return writer.write();
}

} // namespace blogen::gen::builtin
