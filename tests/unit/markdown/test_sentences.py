from briefgen.markdown import parse_brief
from briefgen.markdown.sentences import MAX_SENTENCE, cut_words, plain_text, sentence_at
from briefgen.markdown.setup import make_markdown

FRONT = "---\ntitle: T\ndate: 2024-05-24\n---\n"


def sentences(body: str) -> list[str]:
    notes = "\n".join(f"[{n}] https://example.com/{n}" for n in range(1, 10))
    brief, _ = parse_brief(FRONT + body + "\n\n" + notes + "\n", "briefs/x.md")
    return [r.sentence for r in brief.references]


def test_reference_after_a_full_stop_belongs_to_the_sentence_it_closes():
    assert sentences("Putin wants a ceasefire.[1] Kyiv refuses.[2]") == [
        "Putin wants a ceasefire.", "Kyiv refuses.",
    ]


def test_reference_inside_a_sentence_belongs_to_that_sentence():
    assert sentences("First one. Putin[1] wants a ceasefire, Reuters said. Last one.") == [
        "Putin wants a ceasefire, Reuters said.",
    ]


def test_reference_after_a_space_or_before_punctuation():
    assert sentences("Putin wants a ceasefire. [1] Next. And this [2].") == [
        "Putin wants a ceasefire.", "And this.",
    ]


def test_two_references_in_a_row_share_the_sentence():
    assert sentences("Two in a row.[2][3] Next.") == ["Two in a row.", "Two in a row."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = (
        "Intro. Frederick W. Kagan and Mr. Smith of the U.S. Army met Gen. Gerasimov on Jan. 5, "
        "e.g. in Minsk, in Building No. 7.[1] Then they left."
    )
    assert sentences(text) == [
        "Frederick W. Kagan and Mr. Smith of the U.S. Army met Gen. Gerasimov on Jan. 5, "
        "e.g. in Minsk, in Building No. 7."
    ]


def test_quotes_and_question_marks():
    assert sentences('He said "no."[1] Was it true?[2] "Yes," they said.[3]') == [
        'He said "no."', "Was it true?", '"Yes," they said.',
    ]


def test_markup_is_removed_and_white_space_collapsed():
    body = "Old.\u00a0*Putin* wants `code` and [a link](https://x.com)\nacross\u00a0lines.[1]"
    assert sentences(body) == ["Putin wants code and a link across lines."]


def test_literal_unknown_references_stay_in_the_text():
    assert sentences("He wrote [sic] and [12] there.[1]") == ["He wrote [sic] and [12] there."]


def test_sentences_are_capped():
    long = "word " * 300
    [sentence] = sentences(f"Start {long}end.[1]")
    assert len(sentence) <= MAX_SENTENCE and sentence.endswith("…")
    assert sentence.startswith("Start word word")


def test_plain_text_from_inline_tokens():
    tokens = make_markdown().parse("**Bold** `x` [t](u)\u00a0y [1].\n\n[1] z\n", {})
    text, references = plain_text(tokens[1].children)
    assert text == "Bold x t\u00a0y."
    assert [(at, token.type) for at, token in references] == [(10, "noteref")]


def test_sentence_at_on_plain_text():
    text = "One. Two three. Four"
    assert sentence_at(text, 4) == "One."
    assert sentence_at(text, 9) == "Two three."
    assert sentence_at(text, len(text)) == "Four"


def test_cut_words():
    assert cut_words("short", 10) == "short"
    assert cut_words("alpha beta gamma delta", 13) == "alpha beta…"
    assert cut_words("x" * 20, 10) == "x" * 9 + "…"
