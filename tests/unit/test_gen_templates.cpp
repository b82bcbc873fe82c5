// Prompt templates: the built-in set, the placeholder language and its errors, and chat requests built from briefs.

#include <blogen/core/error.hpp>
#include <blogen/gen/templates.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace blogen::gen;
using blogen::Error;
using blogen::ErrorCode;

namespace {

/// The message of the blogen::Error a call throws, checking its code.
template <typename Call> std::string error_of(Call&& call, ErrorCode expected) {
  try {
    call();
  } catch (const Error& e) {
    CHECK(e.code() == expected);
    return e.what();
  }
  FAIL("no blogen::Error thrown");
  return {};
}

Brief sample_brief() {
  Brief brief;
  brief.topic = "remote work productivity";
  brief.tone = "professional";
  brief.words = 1200;
  brief.keywords = {"time blocking", "async communication"};
  brief.audience = "team leads";
  brief.brand = "Acme Labs";
  brief.brief = "focus on small teams";
  return brief;
}

const std::string& user_message(const ChatRequest& request) { return request.messages.back().content; }

} // namespace

TEST_CASE("the built-in templates are all there, complete and valid") {
  const std::vector<std::string> expected{"blog-post",           "outline",       "listicle", "how-to", "newsletter",
                                          "product-description", "social-caption"};
  const auto& templates = builtin_templates();
  REQUIRE(templates.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(expected[i]);
    const Template& t = templates[i];
    CHECK(t.name == expected[i]);
    CHECK(t.builtin);
    CHECK(t.system_prompt.size() > 100);
    CHECK(t.user_prompt.find("{topic}") != std::string::npos);
    CHECK_NOTHROW(validate_template(t.name, t.system_prompt, t.user_prompt));
    REQUIRE(find_builtin_template(t.name) == &t);
    const ChatRequest request = build_chat_request(t, sample_brief());
    for (const auto& message : request.messages) {
      CHECK(message.content.find('{') == std::string::npos);
      CHECK(message.content.find('}') == std::string::npos);
    }
  }
  CHECK(find_builtin_template("no-such-template") == nullptr);
  CHECK(find_builtin_template("") == nullptr);
}

TEST_CASE("long-form templates ask for a Markdown title, the length, tone, audience and keywords") {
  for (const auto& t : builtin_templates()) {
    if (t.name == "social-caption") continue;
    CAPTURE(t.name);
    const ChatRequest request = build_chat_request(t, sample_brief());
    REQUIRE(request.messages.size() == 2);
    CHECK(request.messages[0].role == "system");
    CHECK(request.messages[1].role == "user");
    const std::string all = request.messages[0].content + "\n" + user_message(request);
    CHECK(all.find("remote work productivity") != std::string::npos);
    CHECK(all.find("1200 words") != std::string::npos);
    CHECK(all.find("professional") != std::string::npos);
    CHECK(all.find("team leads") != std::string::npos);
    CHECK(all.find("time blocking, async communication") != std::string::npos);
    CHECK(all.find("level-1 heading (`# Title`)") != std::string::npos);
    CHECK(all.find("focus on small teams") != std::string::npos);
    CHECK(request.brief.template_name == t.name);
    CHECK(request.brief.topic == "remote work productivity");
  }
}

TEST_CASE("the social caption template asks for the platform limit and hashtags on the last line") {
  Brief brief = sample_brief();
  brief.platform = "twitter";
  const ChatRequest request = build_chat_request(*find_builtin_template("social-caption"), brief);
  const std::string& user = user_message(request);
  CHECK(request.brief.kind == "social");
  CHECK(user.find("280 characters") != std::string::npos);
  CHECK(user.find("hashtags on the last line") != std::string::npos);
  CHECK(user.find("Acme Labs") != std::string::npos);
  CHECK(user.find("twitter") != std::string::npos);
  CHECK(user.find("level-1 heading") == std::string::npos);

  brief.platform = "linkedin";
  CHECK(user_message(build_chat_request(*find_builtin_template("social-caption"), brief)).find("3000 characters") !=
        std::string::npos);
}

TEST_CASE("empty brief fields render as sensible defaults") {
  Brief brief;
  brief.topic = "houseplants";
  brief.tone.clear();
  const ChatRequest request = build_chat_request(*find_builtin_template("blog-post"), brief);
  const std::string all = request.messages[0].content + "\n" + user_message(request);
  CHECK(all.find("general readers") != std::string::npos);
  CHECK(all.find("friendly") != std::string::npos);
  CHECK(all.find("choose a specific, compelling title") != std::string::npos);
  CHECK(all.find("800 words") != std::string::npos);

  const TemplateVariables variables = template_variables(brief);
  CHECK(variables.at("audience") == "general readers");
  CHECK(variables.at("tone") == "friendly");
  CHECK(variables.at("platform") == "generic");
  CHECK(variables.at("limit") == "2200");
  CHECK(variables.at("title").empty()); // so `{title|...}` defaults apply
}

TEST_CASE("a prompt without a topic is sent as the writer wrote it") {
  Brief brief;
  brief.prompt = "Write about the history of the bicycle, with a focus on women cyclists.";
  const ChatRequest request = build_chat_request(*find_builtin_template("blog-post"), brief);
  const std::string& user = user_message(request);
  CHECK(user.starts_with(brief.prompt));
  CHECK(user.find("`# Title`") != std::string::npos);
  CHECK(user.find("Write a blog post about") == std::string::npos);
  CHECK(request.brief.prompt == brief.prompt);
  CHECK(brief_topic(brief) == "history of the bicycle");

  SECTION("with a topic too, the prompt is added as extra instructions") {
    brief.topic = "bicycles";
    const ChatRequest request_with_topic = build_chat_request(*find_builtin_template("blog-post"), brief);
    const std::string& with_topic = user_message(request_with_topic);
    CHECK(with_topic.find("Write a blog post about: bicycles") != std::string::npos);
    CHECK(with_topic.find("Additional instructions from the writer:\n" + brief.prompt) != std::string::npos);
  }
}

TEST_CASE("render_template substitutes variables, defaults and literal braces") {
  const TemplateVariables variables{{"topic", "tea"}, {"tone", ""}, {"words", "300"}};
  CHECK(render_template("About {topic} in {words} words.", variables) == "About tea in 300 words.");
  CHECK(render_template("Tone: {tone|friendly}", variables) == "Tone: friendly");
  CHECK(render_template("Topic: {topic|coffee}", variables) == "Topic: tea");
  // A known variable missing from the map renders empty, or its default.
  CHECK(render_template("[{audience}] [{audience|everyone}]", variables) == "[] [everyone]");
  CHECK(render_template("JSON: {{\"a\": 1}} and {topic}", variables) == "JSON: {\"a\": 1} and tea");
  CHECK(render_template("{{topic}}", variables) == "{topic}");
  CHECK(render_template("a lone } stays", variables) == "a lone } stays");
  CHECK(render_template("", variables).empty());
  // Variables the caller adds are allowed too.
  CHECK(render_template("{custom}", TemplateVariables{{"custom", "x"}}) == "x");
}

TEST_CASE("render_template names the problem and where it is") {
  const TemplateVariables variables{{"topic", "tea"}};
  SECTION("unknown variable") {
    const std::string message =
        error_of([&] { render_template("line one\nAbout {topc}.", variables, "mine"); }, ErrorCode::bad_input);
    CHECK(message.find("{topc}") != std::string::npos);
    CHECK(message.find("'mine'") != std::string::npos);
    CHECK(message.find("line 2, column 7") != std::string::npos);
  }
  SECTION("unclosed brace") {
    const std::string message = error_of([&] { render_template("About {topic", variables); }, ErrorCode::bad_input);
    CHECK(message.find("unclosed") != std::string::npos);
    CHECK(message.find("line 1, column 7") != std::string::npos);
  }
  SECTION("a brace closed only on the next line is unclosed") {
    CHECK(error_of([&] { render_template("{topic\n}", variables); }, ErrorCode::bad_input).find("unclosed") !=
          std::string::npos);
  }
  SECTION("empty name") {
    CHECK(error_of([&] { render_template("x {} y", variables); }, ErrorCode::bad_input).find("empty") !=
          std::string::npos);
    CHECK(error_of([&] { render_template("{|default}", variables); }, ErrorCode::bad_input).find("empty") !=
          std::string::npos);
  }
  SECTION("malformed placeholder") {
    CHECK(error_of([&] { render_template("{\"a\": 1}", variables); }, ErrorCode::bad_input).find("malformed") !=
          std::string::npos);
  }
}

TEST_CASE("validate_template checks user templates before they are stored") {
  CHECK_NOTHROW(validate_template("my-template_2", "You write {tone|friendly}.", "About {topic} for {audience}."));
  CHECK_NOTHROW(validate_template("short", "", "Just {topic}."));
  CHECK(error_of([] { validate_template("Bad Name", "", "{topic}"); }, ErrorCode::usage).find("Bad Name") !=
        std::string::npos);
  CHECK(error_of([] { validate_template("", "", "{topic}"); }, ErrorCode::usage).find("template name") !=
        std::string::npos);
  CHECK(error_of([] { validate_template("-dash", "", "{topic}"); }, ErrorCode::usage).find("-dash") !=
        std::string::npos);
  CHECK(error_of([] { validate_template("empty", "system", "  \n"); }, ErrorCode::bad_input).find("empty") !=
        std::string::npos);
  const std::string unknown =
      error_of([] { validate_template("mine", "ok {tone}", "About {subject}"); }, ErrorCode::bad_input);
  CHECK(unknown.find("{subject}") != std::string::npos);
  CHECK(unknown.find("'mine'") != std::string::npos);
  CHECK(unknown.find("user prompt") != std::string::npos);
  CHECK(error_of([] { validate_template("mine", "{oops", "{topic}"); }, ErrorCode::bad_input).find("system prompt") !=
        std::string::npos);
  CHECK_THROWS_AS(validate_template("huge", "", std::string(70 * 1024, 'a')), Error);
}

TEST_CASE("platform limits and topics") {
  CHECK(platform_char_limit("twitter") == 280);
  CHECK(platform_char_limit("X") == 280);
  CHECK(platform_char_limit("LinkedIn") == 3000);
  CHECK(platform_char_limit("instagram") == 2200);
  CHECK(platform_char_limit("generic") == 2200);
  CHECK(platform_char_limit("") == 2200);

  Brief brief;
  brief.topic = "  spaced topic ";
  CHECK(brief_topic(brief) == "spaced topic");
  brief.topic.clear();
  brief.prompt = "Please write a detailed guide on composting in small apartments in 500 words";
  CHECK(brief_topic(brief) == "composting in small apartments");
  brief.prompt = "Can you create an article about: the four-day work week? Make it punchy.";
  CHECK(brief_topic(brief) == "four-day work week");
  brief.prompt.clear();
  CHECK(brief_topic(brief) == "this topic");
}

TEST_CASE("template variable names are the documented set") {
  const auto& names = template_variable_names();
  for (const std::string name :
       {"topic", "tone", "audience", "words", "keywords", "brand", "platform", "brief", "title", "prompt"}) {
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}
