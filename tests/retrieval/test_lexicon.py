"""Every lexicon entry has a test of its own, generated here from the entry (none is an evaluation question).

Adding an entry to retrieval/data/lexicon.toml or terms.txt adds its test; an entry that does not do its job
fails by name.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from bot import spans
from retrieval.analysis import Term, alternatives, analyze_question, answer_type, is_follow_up
from retrieval.lexicon import lexicon
from retrieval.models import Chunk, DocumentMeta, Hit, Scores
from retrieval.sentences import sentences
from retrieval.textnorm import normalize
from retrieval.tokenize import cut, words

LEX = lexicon()


def _hit(norm: str, title: str, year: int | None = None) -> Hit:
    """A document of one passage holding `norm`."""
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=len(norm), text=norm, norm=norm)
    return Hit(chunk=chunk, meta=DocumentMeta(title=title, year=year), score=1.0, scores=Scores(fused=1.0, rerank=1.0))


def _term_texts(question: str) -> set[str]:
    """The key terms of `question`, as written."""
    return {t.text for t in analyze_question(question).terms}


def _entries(kind: str) -> list[str]:
    return list(LEX.kind_words[kind])  # type: ignore[index]


@pytest.mark.parametrize("word", _entries("date"))
def test_date_words_ask_for_a_date(word: str) -> None:
    assert answer_type(normalize(f"青禾县新修的那座大桥{word}通车?")).kind == "date"


@pytest.mark.parametrize(("grain", "word"), [(g, w) for g, ws in LEX.date_grains.items() for w in ws])
def test_a_date_word_asks_for_its_part_of_a_date(grain: str, word: str) -> None:
    asked = answer_type(normalize(f"青禾县新修的那座大桥{word}通车?"))
    assert asked.grain == grain
    # the answer names that part: a date without it answers nothing
    a = analyze_question(f"青禾县新修的那座大桥{word}通车?")
    named = {"year": "大桥于2016年5月8日通车。", "month": "大桥于5月8日通车。", "day": "大桥于5月8日通车。",
             "clock": "大桥于当天上午10点半通车。"}[grain]
    short = {"year": "大桥于5月8日通车。", "month": "大桥于2016年通车。", "day": "大桥于2016年5月通车。",
             "clock": "大桥于2016年5月8日通车。"}[grain]
    assert spans.answer_spans(named, a) and not spans.answer_spans(short, a)


@pytest.mark.parametrize("suffix", LEX.clock_suffixes)
def test_a_suffix_of_a_time_of_day_asked_is_no_key_term(suffix: str) -> None:
    a = analyze_question(f"青禾县大桥最后几点{suffix}才通车?")
    assert a.answer.grain == "clock" and not any(t.text.endswith(suffix) for t in a.terms)


@pytest.mark.parametrize("lead", LEX.clock_counted_after)
def test_how_many_points_after_a_lead_is_no_time_of_day(lead: str) -> None:
    a = analyze_question(f"青禾县{lead}几点变化?")
    assert a.answer.kind != "date"


@pytest.mark.parametrize("noun", LEX.clock_points)
def test_how_many_points_a_speech_makes_is_no_time_of_day(noun: str) -> None:
    a = analyze_question(f"周明远在会上提出了几点{noun}?")
    assert a.answer.kind != "date" and a.answer.grain != "clock"
    assert noun in {t.text for t in a.terms}


@pytest.mark.parametrize("word", [*LEX.year_before, *LEX.relative_years])
def test_a_month_after_a_year_word_answers_which_year(word: str) -> None:
    a = analyze_question("青禾县新修的那座大桥哪一年通车?")
    assert spans.answer_spans(f"{word}5月8日，大桥通车。", a)


@pytest.mark.parametrize("word", _entries("person"))
def test_person_words_ask_for_a_person(word: str) -> None:
    assert answer_type(normalize(f"青禾县那次会议的主持人{word}?")).kind == "person"


@pytest.mark.parametrize("word", _entries("list"))
def test_list_words_ask_for_a_list(word: str) -> None:
    assert answer_type(normalize(f"青禾县今年的重点工作{word}?")).kind == "list"


@pytest.mark.parametrize("word", _entries("number"))
def test_number_words_ask_for_a_number(word: str) -> None:
    assert answer_type(normalize(f"青禾县工业产值{word}?")).kind == "number"


@pytest.mark.parametrize("word", _entries("place"))
def test_place_words_ask_for_a_place(word: str) -> None:
    assert answer_type(normalize(f"青禾县新的产业园建在{word}?")).kind == "place"


@pytest.mark.parametrize("role", LEX.roles)
def test_a_role_named_in_a_question_asks_for_a_person(role: str) -> None:
    a = analyze_question(f"岚山市的{role}叫什么名字?")
    assert a.answer.kind == "person"
    assert a.constraints.role == role


@pytest.mark.parametrize("role", LEX.roles)
def test_a_name_beside_a_role_is_a_titled_person(role: str) -> None:
    norm = normalize(f"会上，{role}周明远作了讲话。")
    assert any(norm[a:b] == "周明远" for a, b in spans.titled_names(norm))


@pytest.mark.parametrize("role", LEX.deed_roles)
def test_a_role_written_by_a_deed_need_not_be_named_by_the_answer(role: str) -> None:
    from bot.features import Sentence, features

    assert role in LEX.roles
    norm = normalize("《青禾风物志》为周明远所著，2019年出版。")
    hit = _hit(norm, "青禾风物志")
    sentence = Sentence(hit=0, start=0, end=len(norm), norm=norm, window=norm, leads=False)
    a = analyze_question(f"《青禾风物志》的{role}是谁?")
    assert a.constraints.role == role
    assert features(a, sentence, hit, 0, "")["role_ok"] == 1.0
    official = analyze_question("青禾县的县长是谁?")
    assert features(official, sentence, hit, 0, "")["role_ok"] == 0.0


def _role_ok(question: str, text: str) -> float:
    from bot.features import Sentence, features

    norm = normalize(text)
    sentence = Sentence(hit=0, start=0, end=len(norm), norm=norm, window=norm, leads=False)
    return features(analyze_question(question), sentence, _hit(norm, "青禾县农业局"), 0, "")["role_ok"]


@pytest.mark.parametrize("word", LEX.head_words)
def test_a_word_naming_no_post_asks_whoever_heads_the_body(word: str) -> None:
    assert word in LEX.roles
    assert analyze_question(f"谁是青禾县农业局的{word}?").constraints.role == word
    assert _role_ok(f"谁是青禾县农业局的{word}?", "青禾县农业局局长周明远介绍了今年的安排。") == 1.0
    assert _role_ok(f"谁是青禾县农业局的{word}?", "青禾县农业局科员周明远介绍了今年的安排。") == 0.0


@pytest.mark.parametrize("head", LEX.heads)
def test_a_post_heading_a_body_names_its_head(head: str) -> None:
    assert head in LEX.roles
    assert _role_ok("谁是青禾县农业局的负责人?", f"青禾县农业局{head}周明远介绍了今年的安排。") == 1.0
    # a post is still asked by itself alone: 负责人 written is no answer to who the 局长 is
    if head != "局长":
        assert _role_ok("谁是青禾县农业局的局长?", f"青禾县农业局{head}周明远介绍了今年的安排。") == 0.0


@pytest.mark.parametrize("joiner", LEX.list_joiners)
def test_a_place_joined_to_the_asked_one_is_listed(joiner: str) -> None:
    a = analyze_question(f"全省的集装箱港口有宁波{joiner}哪个城市?")
    assert [t.text for t in a.terms if t.kind == "place" and t.listed] == ["宁波"]
    assert not any(t.listed for t in analyze_question("宁波有哪些集装箱港口?").terms)


@pytest.mark.parametrize("relation", LEX.relations)
def test_a_relation_asks_for_a_person(relation: str) -> None:
    assert answer_type(normalize(f"这位作家的{relation}叫什么名字?")).kind == "person"


@pytest.mark.parametrize("verb", LEX.speech_verbs)
def test_a_name_before_a_speech_verb_is_a_titled_person(verb: str) -> None:
    norm = normalize(f"周明远{verb}，要抓好项目建设。")
    assert any(norm[a:b] == "周明远" for a, b in spans.titled_names(norm))


@pytest.mark.parametrize("unit", LEX.units)
def test_a_number_keeps_its_unit(unit: str) -> None:
    norm = normalize(f"全年共完成36{unit}，比上年有所增加。")
    found = [norm[a:b] for a, b in spans.numbers(norm, unit=unit)]
    assert f"36{unit}" in found
    assert f"36{unit}" in words(norm)


@pytest.mark.parametrize("unit", [u for u in LEX.units if u not in ("%", "‰")])
def test_a_question_names_the_unit_it_wants(unit: str) -> None:
    assert answer_type(normalize(f"青禾县去年一共完成了多少{unit}?")).unit == unit


@pytest.mark.parametrize("digit", [d for d in LEX.digits if d not in "零〇十百千万亿"])
def test_chinese_numerals_with_units_are_numbers(digit: str) -> None:
    norm = normalize(f"新建了{digit}十{digit}个村级服务站。")
    assert [norm[a:b] for a, b in spans.numbers(norm)] == [f"{digit}十{digit}个"]


@pytest.mark.parametrize("magnitude", LEX.magnitudes)
def test_a_magnitude_stays_with_its_number(magnitude: str) -> None:
    assert f"3.5{magnitude}元" in words(normalize(f"完成投资3.5{magnitude}元。"))


@pytest.mark.parametrize("approx", LEX.approx)
def test_an_approximate_count_is_a_number(approx: str) -> None:
    norm = normalize(f"共有{approx}三十个单位参加。") if approx in ("近", "约", "逾", "超") else normalize(
        f"共有三十{approx}个单位参加。")
    assert spans.numbers(norm)


@pytest.mark.parametrize("lead", LEX.ordinal_leads)
def test_a_rank_is_found_after_its_lead_verb(lead: str) -> None:
    norm = normalize(f"青禾县的经济增速{lead}全市第三。")
    assert any("第三" in norm[a:b] for a, b in spans.ordinals(norm))
    assert answer_type(normalize("青禾县的经济增速排全市第几?")).ordinal


@pytest.mark.parametrize("suffix", LEX.ordinal_suffixes)
def test_a_rank_may_end_in_its_suffix(suffix: str) -> None:
    norm = normalize(f"总量位居全省第2{suffix}。")
    assert any(norm[a:b].endswith(f"第2{suffix}") for a, b in spans.ordinals(norm))


@pytest.mark.parametrize(("word", "offset"), list(LEX.relative_years.items()))
def test_relative_years_resolve_against_the_documents_year(word: str, offset: int) -> None:
    from bot.features import term_hit

    term = Term(f"{2021 + offset}", (f"{2021 + offset}年",), "year")
    assert term_hit(term, f"{word}完成了投资目标", year=2021) == 1.0
    assert analyze_question(f"青禾县{word}的投资目标是多少?").constraints.relative_year == offset


@pytest.mark.parametrize("part", LEX.year_parts)
def test_a_part_of_the_year_is_a_constraint(part: str) -> None:
    assert analyze_question(f"青禾县{part}的财政收入是多少?").constraints.parts == (part,)


@pytest.mark.parametrize("end", list(LEX.sentence_ends))
def test_sentence_ends_split_sentences(end: str) -> None:
    assert len(sentences(f"今年要抓项目{end}明年要抓招商{end}")) == 2


@pytest.mark.parametrize("lead", LEX.follow_leads)
def test_follow_up_leads_mark_a_follow_up(lead: str) -> None:
    assert is_follow_up(f"{lead}岚山市的固定资产投资增长了多少个百分点?")


@pytest.mark.parametrize("lead", LEX.subset_leads)
def test_a_subset_lead_carries_what_the_previous_question_counted(lead: str) -> None:
    previous = "青禾县今年新建的村级服务站一共有多少个?"
    a = analyze_question(f"{lead}位于山区的占几个?", [previous])
    assert "服务站" in a.standalone and "服务站" in {t.text for t in a.terms}
    assert a.answer.kind == "number"
    b = analyze_question("那位于山区的占几个?", [previous])  # another lead: what was counted does not carry
    assert "服务站" not in b.standalone


@pytest.mark.parametrize("trailing", LEX.follow_trailing)
def test_a_question_ending_in_a_particle_is_a_follow_up(trailing: str) -> None:
    assert is_follow_up(f"岚山市的固定资产投资增长{trailing}?")


@pytest.mark.parametrize("pronoun", LEX.pronouns)
def test_a_pronoun_stands_for_the_previous_subject(pronoun: str) -> None:
    a = analyze_question(f"{pronoun}的集体经济收入有多少?", ["青禾县白沙村是哪一年成立的?"])
    assert "白沙村" in a.standalone
    assert a.follow_up


@pytest.mark.parametrize("demonstrative", LEX.demonstratives)
def test_a_demonstrative_before_a_noun_keeps_its_noun_and_the_subject_goes_first(demonstrative: str) -> None:
    pronoun = next(p for p in LEX.pronouns if p.startswith(demonstrative))
    a = analyze_question(f"{pronoun}项目总投资是多少?", ["青禾县白沙村的光伏电站是哪一年建成的?"])
    assert a.standalone.startswith("青禾县白沙村") and f"{pronoun}项目总投资" in a.standalone
    b = analyze_question(f"{pronoun}的装机容量多大?", ["青禾县白沙村的光伏电站是哪一年建成的?"])
    assert b.standalone.startswith("青禾县白沙村的光伏电站的装机容量")  # before 的 it stands for the subject


@pytest.mark.parametrize("pronoun", LEX.person_pronouns)
def test_a_person_pronoun_brings_the_person_the_previous_question_asked_about(pronoun: str) -> None:
    a = analyze_question(f"{pronoun}在领奖现场捐了多少钱?", ["岚山市的王先生中了多少奖金?"])
    assert "王先生" in a.standalone
    b = analyze_question(f"{pronoun}的集体经济收入有多少?", ["青禾县白沙村是哪一年成立的?"])
    assert "白沙村" in b.standalone  # no person named: the subject, as for any pronoun


@pytest.mark.parametrize("pronoun", LEX.person_pronouns)
def test_a_person_pronoun_after_a_who_question_stands_for_the_person_the_reply_named(pronoun: str) -> None:
    previous = ["青禾县委决定由谁出任白沙镇党委书记?"]
    a = analyze_question(f"{pronoun}此前在哪个部门工作?", previous, answered="周明远,此前任县发改局局长。")
    assert a.standalone.startswith("周明远") and "白沙镇" not in a.standalone  # about the person, not the post
    assert [t.text for t in a.terms if t.carried] == ["周明远"]
    assert "周明远" in a.previous  # the previous question as answered, for the search
    no_reply = analyze_question(f"{pronoun}此前在哪个部门工作?", previous)
    assert no_reply.standalone.startswith("青禾县委")  # nothing answered: the previous subject, as before
    them = analyze_question("那她们的销售额有多少?", ["白沙村手工社是谁牵头成立的?"], answered="村支书周丽和5名党员。")
    assert "周丽" not in them.standalone  # 她们 is no 她


@pytest.mark.parametrize("joiner", LEX.comparison_joiners)
def test_comparison_joiners_split_the_sides(joiner: str) -> None:
    a = analyze_question(f"苏州{joiner}无锡在招商引资上有什么不同?")
    assert [s.places for s in a.sides] == [("苏州",), ("无锡",)]


@pytest.mark.parametrize("ask", LEX.comparison_asks)
def test_comparison_asks_make_a_comparison(ask: str) -> None:
    assert len(analyze_question(f"苏州和无锡的招商引资{ask}?").sides) == 2


@pytest.mark.parametrize("spreader", LEX.comparison_spreaders)
def test_a_spreading_ask_leaves_each_side_its_question(spreader: str) -> None:
    a = analyze_question(f"苏州和无锡{spreader}有多少个亿元以上项目?")
    assert [s.standalone for s in a.sides] == ["苏州有多少个亿元以上项目?", "无锡有多少个亿元以上项目?"]


@pytest.mark.parametrize("end", LEX.comparison_side_ends)
def test_a_side_ends_before_a_side_end(end: str) -> None:
    a = analyze_question(f"苏州和无锡{end}招商引资有什么不同?")
    assert [s.side for s in a.sides] == ["苏州", "无锡"]


@pytest.mark.parametrize("group", LEX.synonym_groups, ids=lambda g: g[0])
def test_each_wording_of_a_synonym_group_meets_the_others(group: tuple[str, ...]) -> None:
    from bot.features import term_hit

    for asked in group:
        for written in group:
            term = Term(normalize(asked), alternatives(normalize(asked)))
            assert term_hit(term, normalize(f"去年全县的{written}情况良好")) == 1.0, (asked, written)


@pytest.mark.parametrize(("category", "ending"), [(c, e) for c, ends in LEX.categories.items() for e in ends])
def test_a_category_question_finds_names_of_that_category(category: str, ending: str) -> None:
    assert answer_type(normalize(f"那位代表来自哪个{category}?")).category == category
    norm = normalize(f"他来自青禾县明远{ending}。")
    assert any(norm[a:b].endswith(ending) for a, b in spans.category_names(norm, category))


@pytest.mark.parametrize("determiner", sorted(LEX.determiners))
def test_a_category_ending_after_a_determiner_names_nothing(determiner: str) -> None:
    for category, endings in LEX.categories.items():
        for ending in endings:
            norm = normalize(f"{determiner}{ending}的代表都来了。")
            assert spans.category_names(norm, category) == [], (category, ending)
    norm = normalize(f"{determiner}队和青禾县明远舞蹈队都来了。")
    found = [norm[a:b] for a, b in spans.category_names(norm, "队伍")]
    assert found and all(name.endswith("舞蹈队") for name in found)  # the named team only


def test_a_category_ending_standing_as_a_verb_names_nothing() -> None:
    norm = normalize('安全生产必须做到"零事故",否则就会"前功尽弃"。')  # 会: will
    assert spans.category_names(norm, "会议") == []
    norm = normalize("青禾县召开全县经济工作会议。")  # the noun alone still names one
    assert [norm[a:b] for a, b in spans.category_names(norm, "会议")] == ["会议"]


@pytest.mark.parametrize("word", sorted(LEX.interrogatives))
def test_interrogatives_are_never_key_terms(word: str) -> None:
    a = analyze_question(f"青禾县新建道路{word}公里?")
    assert all(word not in t.text for t in a.terms)


@pytest.mark.parametrize("word", sorted(LEX.function_words))
def test_function_words_are_never_key_terms(word: str) -> None:
    assert word not in _term_texts(f"青禾县{word}固定资产投资")


@pytest.mark.parametrize("verb", LEX.reporting)
def test_a_verb_reporting_what_was_said_is_no_key_term(verb: str) -> None:
    terms = _term_texts(f"周明远在会上{verb}干部保持什么样的干劲?")
    assert verb not in terms
    assert {"干部", "干劲"} <= terms


@pytest.mark.parametrize("verb", LEX.reporting)
def test_a_reporting_verb_after_no_speaker_is_the_relation_asked_about(verb: str) -> None:
    assert verb in _term_texts(f"有专家{verb}青禾县的做法会造成什么影响?")


@pytest.mark.parametrize("verb", LEX.reporting)
def test_a_reporting_verb_ending_its_clause_is_a_noun_asked_about(verb: str) -> None:
    assert verb in _term_texts(f"青禾县对企业有什么{verb}?")


@pytest.mark.parametrize("end", LEX.reporting_speaker_ends)
def test_a_body_ending_so_speaks_before_a_reporting_verb(end: str) -> None:
    assert "要求" not in _term_texts(f"青禾县{end}要求干部保持什么样的干劲?")


@pytest.mark.parametrize("verb", LEX.describing)
def test_a_describing_verb_asked_with_how_is_no_key_term_but_asked_after_it_is(verb: str) -> None:
    assert verb not in _term_texts(f"周明远是怎么{verb}青禾县干部作风的?")
    assert verb in _term_texts(f"青禾县干部作风被周明远{verb}为什么?")


@pytest.mark.parametrize("ask", LEX.describing_asks)
def test_each_way_of_asking_how_makes_a_describing_verb_no_key_term(ask: str) -> None:
    assert "形容" not in _term_texts(f"周明远{ask}形容青禾县干部的作风?")


@pytest.mark.parametrize("after", LEX.reporting_nouns_before)
def test_a_reporting_word_before_a_link_is_a_noun_asked_about(after: str) -> None:
    assert "要求" in _term_texts(f"青禾县这项工作的要求{after}什么?")


def _terms() -> list[str]:
    text = resources.files("retrieval.data").joinpath("terms.txt").read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("term", _terms())
def test_domain_terms_are_kept_whole(term: str) -> None:
    assert term in cut(f"全县要把{term}摆在突出位置")


def test_the_lexicon_is_versioned() -> None:
    assert LEX.version >= 1
    assert len(LEX.digest) == 10


@pytest.mark.parametrize("counter", LEX.ordinal_counters)
def test_an_ordinal_of_another_number_conflicts(counter: str) -> None:
    from bot.features import _ordinal_conflict

    a = analyze_question(f"青禾县第三{counter}帮扶落实了多少资金?")
    assert a.constraints.ordinals == ((3, counter),)
    assert _ordinal_conflict(a, normalize(f"第四{counter}帮扶落实资金3.8亿元。")) == 1.0
    assert _ordinal_conflict(a, normalize(f"第3{counter}帮扶落实资金3.8亿元。")) == 0.0
    assert _ordinal_conflict(a, normalize("帮扶落实资金3.8亿元。")) == 0.0


@pytest.mark.parametrize("counter", LEX.ordinal_counters)
def test_a_sentence_naming_no_ordinal_is_of_the_one_its_passage_gives_the_asked_thing(counter: str) -> None:
    from bot.features import _ordinal_conflict

    a = analyze_question(f"青禾县第三{counter}帮扶落实了多少资金?")
    sentence = normalize("共落实资金3.8亿元。")
    assert _ordinal_conflict(a, sentence, normalize(f"第四{counter}帮扶启动。共落实资金3.8亿元。")) == 1.0
    assert _ordinal_conflict(a, sentence, normalize(f"第三{counter}帮扶启动，第四{counter}帮扶明年开始。")) == 0.0
    other_thing = normalize(f"第四{counter}会议召开。共落实资金3.8亿元。")
    assert _ordinal_conflict(a, sentence, other_thing) == 0.0
    assert _ordinal_conflict(a, sentence, "") == 0.0


@pytest.mark.parametrize("first", LEX.ordinal_firsts)
def test_a_word_for_first_is_the_first_ordinal(first: str) -> None:
    from bot.features import _ordinal_conflict

    a = analyze_question("青禾县第二批受聘的护林员有多少名?")
    assert a.constraints.ordinals == ((2, "批"),)
    assert _ordinal_conflict(a, normalize(f"{first}批80名护林员受聘上岗。")) == 1.0
    first_asked = analyze_question(f"青禾县{first}届农博会有多少家企业参展?")
    assert first_asked.constraints.ordinals == ((1, "届"),)
    assert _ordinal_conflict(first_asked, normalize("第一届农博会吸引了120家企业参展。")) == 0.0


@pytest.mark.parametrize(("sentence", "conflict"), [
    ("8月15日，青禾县召开项目推进会。", 1.0),  # another day
    ("8月16日，青禾县召开项目推进会。", 0.0),  # the day asked
    ("8月15日至17日，青禾县举办农博会。", 0.0),  # a span that covers it
    ("青禾县召开项目推进会。", 0.0),  # no day said
    ("8月16号，青禾县召开项目推进会。", 0.0),
])
def test_a_sentence_dated_to_another_day_conflicts(sentence: str, conflict: float) -> None:
    from bot.features import _day_conflict

    a = analyze_question("青禾县8月16日召开的会议是谁主持的?")
    assert _day_conflict(a, normalize(sentence)) == conflict


def test_a_sentence_without_a_day_is_dated_by_its_passage() -> None:
    from bot.features import _day_conflict

    a = analyze_question("青禾县8月16日召开的会议是谁主持的?")
    sentence = normalize("会议由县长周明远主持。")
    assert _day_conflict(a, sentence, normalize("8月15日，青禾县召开项目推进会。会议由县长周明远主持。")) == 1.0
    assert _day_conflict(a, sentence, normalize("8月16日，青禾县召开项目推进会。会议由县长周明远主持。")) == 0.0
    assert _day_conflict(a, sentence, normalize("青禾县召开项目推进会。会议由县长周明远主持。")) == 0.0


_MEASURES = [(m, units) for measures, units in LEX.measure_units.values() for m in measures]


@pytest.mark.parametrize(("one", "other"), LEX.contrast_pairs)
def test_a_measure_under_the_opposite_modifier_conflicts(one: str, other: str) -> None:
    from bot.features import _contrast_conflict

    a = analyze_question(f"青禾县去年{one}口径财政收入是多少?")
    assert _contrast_conflict(a, normalize(f"去年全县{other}口径财政收入12.5亿元。")) == 1.0
    assert _contrast_conflict(a, normalize(f"去年全县{one}口径财政收入12.5亿元。")) == 0.0
    assert _contrast_conflict(a, normalize(f"去年全县{one}口径财政收入12.5亿元，{other}口径8亿元。")) == 0.0
    assert _contrast_conflict(a, normalize("去年全县财政收入12.5亿元。")) == 0.0


@pytest.mark.parametrize("tier", LEX.tiers)
def test_a_tier_of_government_or_rank_asked_conflicts_with_a_sentence_naming_only_another(tier: str) -> None:
    from bot.features import _contrast_conflict

    other = next(t for t in LEX.tiers if LEX.tier(t) != LEX.tier(tier) and tier not in t and t not in tier)
    a = analyze_question(f"青禾县{tier}级示范基地有多少家?")
    assert _contrast_conflict(a, normalize(f"全县共有{other}级示范基地12家。")) == 1.0
    assert _contrast_conflict(a, normalize(f"全县共有{other}级以上示范基地12家。")) == 1.0
    assert _contrast_conflict(a, normalize(f"全县共有{other}级示范基地12家，其中{tier}级3家。")) == 0.0
    assert _contrast_conflict(a, normalize("全县共有示范基地12家。")) == 0.0
    within = analyze_question(f"青禾县{other}级以上示范基地当中，{tier}级的有多少家?")  # asked within a set
    assert _contrast_conflict(within, normalize(f"全县共有{other}级以上示范基地12家。")) == 1.0
    above = analyze_question(f"青禾县{tier}级以上示范基地有多少家?")  # takes in the tiers above
    assert _contrast_conflict(above, normalize(f"全县共有{other}级示范基地12家。")) == 0.0


@pytest.mark.parametrize(("group", "word"), [(g, w) for g in LEX.same_tiers for w in g[1:]])
def test_a_short_wording_of_a_rank_names_the_same_rank(group: tuple[str, ...], word: str) -> None:
    from bot.features import _contrast_conflict

    a = analyze_question(f"青禾县{group[0]}级干部有多少人?")
    assert _contrast_conflict(a, normalize(f"全县共有{word}级干部120人。")) == 0.0  # the same rank
    short = analyze_question(f"青禾县{word}级干部有多少人?")
    assert _contrast_conflict(short, normalize(f"全县共有{group[0]}级干部120人。")) == 0.0
    other = next(t for t in LEX.tiers if LEX.tier(t) != group[0] and len(t) == 1 and t in "部厅局处科")
    assert _contrast_conflict(a, normalize(f"全县共有{other}级干部120人。")) == 1.0  # another rank


@pytest.mark.parametrize("word", LEX.native_words)
def test_a_question_where_a_person_comes_from_is_answered_by_the_place_before_a_native_mark(word: str) -> None:
    question = f"周明远的{word}是哪里?" if word.startswith("籍") else f"周明远是{word}?"
    a = analyze_question(question)
    assert a.answer.kind == "place" and a.answer.native

    def answers(sentence: str) -> list[str]:
        norm = normalize(sentence)
        return [norm[i:j] for i, j in spans.answer_spans(norm, a)]

    for sentence in ("周明远，男，汉族，1968年生，浙江湖州人，研究生学历。", "周明远，籍贯浙江湖州，1968年生。"):
        found = answers(sentence)
        assert found and all(x in "浙江湖州" for x in found), sentence
    assert answers("当时湖州人都说周明远是个好官。") == []  # 人 goes on: the people of a place, no one's home
    assert answers("周明远曾在湖州工作多年。") == []


@pytest.mark.parametrize(("kind", "ending"), [(k, e) for k, ends in LEX.place_kind_endings.items() for e in ends])
def test_a_place_asked_by_its_kind_is_answered_by_the_name_with_that_ending_first(kind: str, ending: str) -> None:
    from bot.candidates import candidates
    from bot.extractive import short_answer

    a = analyze_question(f"青禾集团去年在哪个{kind}设立了研发中心?")
    norm = normalize(f"去年,青禾集团在欧洲的岚谷奇{ending}设立了研发中心,产品销往亚洲。")
    assert short_answer(a, candidates(a, [_hit(norm, "青禾集团")])[0]) == f"岚谷奇{ending}"


@pytest.mark.parametrize("mark", LEX.native_marks)
def test_a_native_mark_may_follow_a_smaller_place_or_a_bracket(mark: str) -> None:
    a = analyze_question("周明远是哪里人?")
    for sentence in (f"周明远，浙江湖州吴兴{mark}。", f"周明远，吴兴（今浙江湖州）{mark}，字子远。"):
        norm = normalize(sentence)
        assert [norm[i:j] for i, j in spans.answer_spans(norm, a)], sentence


@pytest.mark.parametrize("bound", LEX.date_bounds)
def test_a_word_bounding_the_date_asked_is_not_the_focus(bound: str) -> None:
    a = analyze_question(f"青禾县农机购置补贴的执行期到哪天{bound}?")
    assert a.answer.kind == "date" and {t.text for t in a.terms if t.focus} == {"执行期"}
    after = analyze_question(f"青禾县从哪一年{bound}开始实行河长制?")
    assert bound not in {t.text for t in after.terms if t.focus}


@pytest.mark.parametrize("number", list(LEX.numbered))
def test_a_numbered_name_asked_conflicts_with_a_sentence_naming_only_another_number(number: str) -> None:
    from bot.features import _contrast_conflict

    other = next(n for n in LEX.numbered if n != number)
    a = analyze_question(f"青禾县{number}号线工程累计完成投资多少亿元?")
    assert _contrast_conflict(a, normalize(f"青禾县{other}号线工程累计完成投资12亿元。")) == 1.0
    assert _contrast_conflict(a, normalize(f"{other}号线完成投资12亿元，{number}号线完成8亿元。")) == 0.0
    assert _contrast_conflict(a, normalize("青禾县轨道交通工程累计完成投资12亿元。")) == 0.0  # no number: no other
    opening = analyze_question(f"{number}号线工程累计完成投资多少亿元?")  # no character before: the two after
    assert _contrast_conflict(opening, normalize(f"青禾县{other}号线工程累计完成投资12亿元。")) == 1.0
    quoted = analyze_question(f"青禾县“十{number}五”期间新建了多少所学校?")
    assert _contrast_conflict(quoted, normalize(f"“十{other}五”期间全县新建学校18所。")) == 1.0
    ranked = analyze_question(f"青禾县第{number}批示范村有多少个?")  # after 第: an ordinal (ordinal_conflict's)
    assert _contrast_conflict(ranked, normalize(f"青禾县第{other}批示范村有12个。")) == 0.0
    counted = analyze_question(f"青禾县{number}个片区的污水管网用了多少资金?")  # before a counter: a count
    assert _contrast_conflict(counted, normalize(f"青禾县{other}个片区的污水管网共投入资金12亿元。")) == 0.0


def test_a_numbered_name_is_the_same_in_either_script_of_numerals() -> None:
    from bot.features import _contrast_conflict

    a = analyze_question("青禾县地铁二号线日均客流量是多少?")
    assert _contrast_conflict(a, normalize("青禾县地铁2号线日均客流量12万人次。")) == 0.0
    assert _contrast_conflict(a, normalize("青禾县地铁3号线日均客流量12万人次。")) == 1.0


@pytest.mark.parametrize("lead", ["排名", "位列", "名列"])
def test_a_rank_the_question_states_is_not_asked(lead: str) -> None:
    stated = answer_type(normalize(f"青禾县已经连续几年{lead}全省第一?"))
    assert stated.kind == "number" and not stated.ordinal  # a count of years, not a rank
    assert answer_type(normalize(f"青禾县的增速{lead}多少?")).ordinal
    assert answer_type(normalize(f"连续三年{lead}第一后，青禾县今年排第几?")).ordinal


@pytest.mark.parametrize("noun", LEX.common_divisions)
def test_a_common_noun_ending_like_a_division_is_no_place(noun: str) -> None:
    a = analyze_question(f"青禾县{noun}工作会议提出了哪些任务?")
    assert noun not in [t.text for t in a.terms if t.kind == "place"]
    assert "白沙村" in [t.text for t in analyze_question("青禾县白沙村有多少户村民?").terms if t.kind == "place"]
    norm = normalize(f"要压实{noun}两级干部责任,杭州市位列第一。")
    assert noun not in [norm[x:y] for x, y in spans.places(norm)]  # nor a place an answer gives


@pytest.mark.parametrize("determiner", sorted(LEX.determiners))
def test_a_division_after_a_determiner_is_no_place(determiner: str) -> None:
    for division in ("村", "社区", "街道"):
        a = analyze_question(f"青禾县引导{determiner}{division}修改村规民约，主要针对哪些风气?")
        assert not [t.text for t in a.terms if t.kind == "place" and t.text.endswith(f"{determiner}{division}")]


@pytest.mark.parametrize("credit", LEX.credits)
def test_a_name_in_the_credits_answers_only_a_question_about_them(credit: str) -> None:
    from bot.spans import answer_spans

    norm = normalize(f"青禾日报{credit} 陈明远 8月11日，青禾县聘任周海涛为县农科院院长。")
    about_appointee = [norm[b:e] for b, e in answer_spans(norm, analyze_question("青禾县聘任谁为县农科院院长?"))]
    assert "陈明远" not in about_appointee and "周海涛" in about_appointee
    about_credit = [norm[b:e] for b, e in answer_spans(norm, analyze_question(f"这篇报道的{credit}是谁?"))]
    assert "陈明远" in about_credit


@pytest.mark.parametrize("mask", LEX.number_masks)
def test_a_masked_figure_is_no_answer(mask: str) -> None:
    from bot.features import _masked

    assert _masked(normalize(f"今年全县城区绿化覆盖率提高到{mask}%。"))
    assert _masked(normalize(f"前{mask}{mask}个季度全县新增市场主体2100户。"))
    assert not _masked(normalize("今年全县城区绿化覆盖率提高到41%。"))
    assert not _masked(normalize("新建Max%工作室1个。"))  # a letter inside a word masks nothing


@pytest.mark.parametrize("measure", LEX.measure_words)
def test_a_sentence_about_another_measure_conflicts(measure: str) -> None:
    from bot.features import _measure_conflict

    a = analyze_question(f"青禾县去年的{measure}增长了多少?")
    assert _measure_conflict(a, normalize(f"去年青禾县{measure}增长6.2%。")) == 0.0
    other = "客流量" if measure != "客流量" else "生产总值"
    assert _measure_conflict(a, normalize(f"去年青禾县{other}增长8.5%。")) == 1.0, measure


@pytest.mark.parametrize("rate", [e for e in LEX.rate_endings if len(e) == 2])
def test_a_share_asked_is_no_amount_of_the_money_it_is_of(rate: str) -> None:
    from bot.features import _measure_conflict

    a = analyze_question(f"青禾县企业的研发费用在营业收入中的{rate}一般是多少?")
    assert _measure_conflict(a, normalize(f"全县规上企业研发投入{rate}普遍达到5%。")) == 0.0
    amount = analyze_question("青禾县企业的研发费用一般是多少?")  # the amount itself: the money must be named
    assert _measure_conflict(amount, normalize("全县规上企业研发投入普遍达到5%。")) == 1.0


def test_the_head_word_of_an_asked_measure_will_do_where_no_other_measure_is_named() -> None:
    from bot.features import _measure_conflict

    a = analyze_question("青禾县那场洪灾造成的经济损失有多少?")
    assert _measure_conflict(a, normalize("洪水冲毁农田三千亩，损失高达2亿元。")) == 0.0
    assert _measure_conflict(a, normalize("洪水过后，当年财政收入损失2亿元。")) == 1.0  # another measure named
    assert _measure_conflict(a, normalize("洪水冲毁农田三千亩，客流量减少两成。")) == 1.0  # not even the head


def test_a_question_in_a_unit_no_measure_is_counted_in_asks_no_amount_of_the_measure() -> None:
    from bot.features import _measure_conflict

    a = analyze_question("青禾县的蔬菜价格已经连续下降了多少周?")
    assert a.answer.unit == "周"
    assert _measure_conflict(a, normalize("全县蔬菜零售价连续5周回落。")) == 0.0
    b = analyze_question("青禾县的蔬菜价格是多少元?")
    assert _measure_conflict(b, normalize("全县生产总值增长5%，蔬菜零售价回落。")) == 1.0


@pytest.mark.parametrize(("measure", "units"), _MEASURES)
def test_an_amount_of_a_measure_is_counted_in_its_units(measure: str, units: tuple[str, ...]) -> None:
    from bot.features import _unit_conflict

    for question in (f"青禾县去年的{measure}是多少?", f"青禾县去年一共有多少{measure}?"):
        a = analyze_question(question)
        assert _unit_conflict(a, normalize(f"{measure}工作已推进36个月，涉及12个项目。")) == 1.0, question
        for unit in units:
            assert _unit_conflict(a, normalize(f"全县{measure}为36{unit}，涉及12个项目。")) == 0.0, (question, unit)
        assert _unit_conflict(a, normalize(f"全县{measure}为3.6亿。")) == 0.0  # a bare magnitude may be either


def test_a_figure_the_question_states_is_no_answer_in_another_unit() -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县去年存款余额为120亿元,其中定期存款是多少?")  # the head noun is written last
    assert _unit_conflict(a, normalize("去年全县存款余额120亿元,存贷比68%。")) == 1.0
    assert _unit_conflict(a, normalize("去年全县存款余额120亿元,其中定期存款45亿元。")) == 0.0


@pytest.mark.parametrize("measure", LEX.measure_units["speed"][0])
def test_a_speed_asked_in_kilometres_is_not_a_length(measure: str) -> None:
    from bot.features import _measure_conflict

    a = analyze_question(f"青禾县新修的环城路{measure}是多少公里?")
    assert _measure_conflict(a, normalize("青禾县环城路全长16公里,双向六车道。")) == 1.0
    assert _measure_conflict(a, normalize(f"青禾县环城路全长16公里,{measure}80公里。")) == 0.0
    # a length asked names no speed, and the kilometres count it too: no measure check (the 线路 before 全长 is
    # another wording of the 铁路 asked, not another thing)
    length = analyze_question("青禾铁路全长多少公里?")
    assert _measure_conflict(length, normalize(f"线路全长16公里,设计{measure}80公里。")) == 0.0


def test_a_rate_of_a_measure_is_not_the_measure() -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县的资金到位率是多少?")
    assert _unit_conflict(a, normalize("资金到位率达95%。")) == 0.0


def test_a_share_of_a_measure_is_not_an_amount_of_it() -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县的工业占全县多少百分比的产值?")
    assert _unit_conflict(a, normalize("青禾县工业占全县92%的产值。")) == 0.0


@pytest.mark.parametrize("word", LEX.not_questions)
def test_a_word_that_holds_a_question_word_asks_nothing(word: str) -> None:
    norm = normalize(f"报道里提到的{word}在文中是怎么写的")
    assert LEX.interrogative_pattern.findall(norm) == ["怎么"]
    assert answer_type(norm).kind == "statement"
    assert word in [t.text for t in analyze_question(f"{word}的情况是什么?").terms]


def test_a_measure_word_ending_a_question_asks_for_its_value_only_without_a_question_word() -> None:
    assert answer_type(normalize("那不良贷款率呢?")).kind == "number"
    assert answer_type(normalize("这种果实有什么药用价值?")).kind == "statement"
    assert answer_type(normalize("这种果实的产量是多少?")).kind == "number"


@pytest.mark.parametrize("noun", LEX.event_nouns)
def test_a_part_of_a_year_naming_an_event_is_no_constraint(noun: str) -> None:
    assert analyze_question(f"青禾县2023年上半年{noun}提出了什么目标?").constraints.parts == ()
    assert analyze_question(f"青禾县一季度经济运行{noun}通报的增速是多少?").constraints.parts == ()
    assert analyze_question("青禾县上半年的财政收入是多少?").constraints.parts == ("上半年",)


@pytest.mark.parametrize("word", LEX.few)
def test_a_few_is_no_question_word(word: str) -> None:
    norm = normalize(f"青禾县{word}年新增了多少家企业?")
    assert LEX.interrogative_pattern.findall(norm) == ["多少家"]
    assert answer_type(norm).unit == "家"
    assert answer_type(normalize(f"青禾县{word}年的情况怎么样?")).kind == "statement"


@pytest.mark.parametrize("count", LEX.counts)
def test_a_count_is_answered_by_a_bare_figure_when_none_carries_its_counter(count: str) -> None:
    norm = normalize("去年全县共有8.57万，投入资金2.5亿元，用时3年。")
    assert [norm[a:b] for a, b in spans.numbers(norm, unit=count)] == ["8.57万"]
    with_own = normalize(f"去年全县共有8.57万，其中36{count}。")
    assert [with_own[a:b] for a, b in spans.numbers(with_own, unit=count)] == [f"36{count}"]
    other = "项" if count != "项" else "个"  # 150项 (projects) does not answer 多少家
    in_other = normalize(f"全年引进项目150{other}。")
    assert spans.numbers(in_other, unit=count) == []


@pytest.mark.parametrize(("asked", "written"), [(a, b) for g in LEX.unit_synonyms for a in g for b in g if a != b])
def test_a_unit_is_answered_in_another_word_for_it(asked: str, written: str) -> None:
    norm = normalize(f"全程共36{written}，投入资金2.5亿元。")
    assert [norm[a:b] for a, b in spans.numbers(norm, unit=asked)] == [f"36{written}"]


@pytest.mark.parametrize("word", LEX.duration_words)
def test_a_duration_question_counts_one_year_as_a_figure(word: str) -> None:
    a = analyze_question(f"青禾县那座大桥一共建了{word}?")
    assert a.answer.kind == "number" and a.answer.duration
    assert _found_in("这座大桥前后只用了一年就建成通车。", a) == ["一年"]


@pytest.mark.parametrize("unit", LEX.time_units)
def test_a_span_of_one_time_unit_is_a_figure_only_when_asked_how_long(unit: str) -> None:
    norm = normalize(f"前后只用了一{unit}，")
    assert [norm[a:b] for a, b in spans.numbers(norm, duration=True)] == [f"一{unit}"]
    assert spans.numbers(norm) == []


def _found_in(sentence: str, a) -> list[str]:  # type: ignore[no-untyped-def]
    norm = normalize(sentence)
    return [norm[x:y] for x, y in spans.answer_spans(norm, a)]


@pytest.mark.parametrize("word", LEX.concessives)
def test_a_question_word_in_a_conditional_clause_asks_nothing(word: str) -> None:
    assert answer_type(normalize(f"{word}遇到什么时候的困难，青禾县都坚持哪项原则?")).kind != "date"
    assert answer_type(normalize(f"{word}投入多少资金，青禾县的工作会议由谁主持?")).kind == "person"
    assert answer_type(normalize(f"青禾县{word}发展到什么时候，什么都是根基?")).kind == "statement"


@pytest.mark.parametrize("ending", LEX.rate_endings)
def test_a_rate_is_answered_in_percent_points_or_times(ending: str) -> None:
    from bot.features import _unit_conflict

    measure = ending if len(ending) > 1 else f"完成{ending}"
    a = analyze_question(f"青禾县今年工业{measure}提高到了多少?")
    assert _unit_conflict(a, normalize(f"青禾县工业{measure}从前5个月的3%提高到前7个月的6%。")) == 0.0
    assert _unit_conflict(a, normalize(f"青禾县工业{measure}提高1.5个百分点。")) == 0.0
    assert _unit_conflict(a, normalize(f"青禾县前5个月工业{measure}持续提高,新增企业12家。")) == 1.0


@pytest.mark.parametrize("word", LEX.not_rates)
def test_a_rate_counted_in_other_units_is_no_percentage(word: str) -> None:
    from bot.features import _unit_conflict

    a = analyze_question(f"青禾县这台设备的{word}是多少?")
    assert _unit_conflict(a, normalize(f"这台设备的{word}为1200千瓦、每分钟30次、7.2元。")) == 0.0


@pytest.mark.parametrize("unit", LEX.rate_units)
def test_each_rate_unit_answers_a_rate(unit: str) -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县今年的粮食增产比例是多少?")
    assert _unit_conflict(a, normalize(f"青禾县今年粮食增产12{unit}，新建粮仓3座。")) == 0.0


@pytest.mark.parametrize("mark", LEX.clock_marks)
def test_a_time_of_day_is_no_count(mark: str) -> None:
    norm = normalize(f"民警于当天上午9{mark}许赶到青禾县，将3名嫌疑人抓获。")
    assert [norm[a:b] for a, b in spans.numbers(norm, "名")] == ["3名"]
    assert spans.numbers(normalize(f"17日18{mark}，青禾县白沙水闸开始浇筑。"), "个") == []


@pytest.mark.parametrize(("question", "role"), [
    ("岚山市委书记周明远会见客商时，陪同的副市长是谁?", "副市长"),  # the scene's role is filled by a name
    ("省长李华到青禾县调研，县长叫什么名字?", "县长"),
    ("会议由谁主持?青禾县的县长是谁?", "县长"),
])
def test_the_asked_role_is_the_one_no_name_fills(question: str, role: str) -> None:
    assert analyze_question(question).constraints.role == role


@pytest.mark.parametrize("mark", LEX.clock_marks)
def test_a_time_of_day_is_no_answer_to_how_long(mark: str) -> None:
    norm = normalize(f"7月25日16{mark}45分，新机首飞，连续飞行3小时。")
    assert [norm[a:b] for a, b in spans.numbers(norm, duration=True)] == ["3小时"]
    assert "16" in [norm[a:b] for a, b in spans.numbers(norm)]  # asked how many, the figures stay


@pytest.mark.parametrize("word", LEX.counting)
def test_a_counting_question_word_takes_its_measure_word(word: str) -> None:
    assert LEX.interrogative_pattern.search(normalize(f"青禾县有{word}家企业?")).group() == f"{word}家"


@pytest.mark.parametrize("noun", ["处罚", "位置", "类型", "项目"])
def test_the_noun_after_what_is_a_term_not_a_measure_word(noun: str) -> None:
    a = analyze_question(f"青禾县那家企业最后受到了什么{noun}?")
    assert noun in [t.text for t in a.terms]


@pytest.mark.parametrize("month", LEX.lunar_months)
def test_a_month_of_the_chinese_calendar_with_its_day_is_a_date(month: str) -> None:
    norm = normalize(f"青禾县的灯会定在{month}十五举办，{month}初八开始布置。")
    found = [norm[a:b] for a, b in spans.dates(norm)]
    assert f"{month}十五" in found and f"{month}初八" in found


@pytest.mark.parametrize("festival", LEX.festivals)
def test_a_festival_is_a_date(festival: str) -> None:
    norm = normalize(f"青禾县的新桥将在{festival}前通车。")
    assert f"{festival}前" in [norm[a:b] for a, b in spans.dates(norm)]


@pytest.mark.parametrize("era", LEX.eras)
def test_a_year_counted_in_an_era_is_a_date(era: str) -> None:
    norm = normalize(f"青禾书院建于{era}十一年，{era}3年五月重修，{era}年间几经扩建，历时七年。")
    found = [norm[a:b] for a, b in spans.dates(norm)]
    assert f"{era}十一年" in found and f"{era}3年五月" in found and f"{era}年间" in found
    assert not any("七年" in f for f in found)  # a span of time, no era before it


@pytest.mark.parametrize("stem", LEX.stems)
@pytest.mark.parametrize("branch", LEX.branches)
def test_a_year_of_the_sixty_year_cycle_is_a_date(stem: str, branch: str) -> None:
    norm = normalize(f"青禾书院于{stem}{branch}年三月重修。")
    assert f"{stem}{branch}年三月" in [norm[a:b] for a, b in spans.dates(norm)]


@pytest.mark.parametrize("side", LEX.festival_sides)
def test_a_festival_with_its_side_is_one_date(side: str) -> None:
    norm = normalize(f"青禾县的灯会在春节{side}举办。")
    assert f"春节{side}" in [norm[a:b] for a, b in spans.dates(norm)]


def test_a_numbered_month_and_day_are_a_date_only_in_the_calendars_forms() -> None:
    def found(text: str) -> list[str]:
        norm = normalize(text)
        return [norm[a:b] for a, b in spans.dates(norm)]

    assert found("条例自十月一日起施行。") == ["十月一日"]
    assert found("他于八月初三到任，十一月二十日离任。") == ["八月初三", "十一月二十日"]
    assert found("一月一批项目开工，三个月内完工。") == []


@pytest.mark.parametrize(("province", "short"), sorted(LEX.abbreviations.items()))
def test_a_province_is_named_by_its_abbreviation(province: str, short: str) -> None:
    from bot.features import _named

    place = next(t for t in analyze_question(f"{province}今年新建了多少所学校?").terms if t.kind == "place")
    assert _named(place, f"{short}企今年新建学校12所")
    assert not _named(place, "今年新建学校12所")


@pytest.mark.parametrize("word", LEX.not_abbreviations)
def test_a_word_holding_an_abbreviations_character_names_no_province(word: str) -> None:
    from bot.features import _named

    province = next(p for p, short in LEX.abbreviations.items() if short in word)
    place = next(t for t in analyze_question(f"{province}今年新建了多少所学校?").terms if t.kind == "place")
    assert not _named(place, f"关于{word}的报道")


@pytest.mark.parametrize("category", LEX.title_categories)
def test_a_thing_named_by_a_book_title_is_answered_by_one(category: str) -> None:
    a = analyze_question(f"青禾县获得一等奖的是哪个{category}?")
    assert a.answer.category == category
    norm = normalize(f"青禾县的{category}《走进田野！乡村研学》获得一等奖。")
    assert [norm[x:y] for x, y in spans.answer_spans(norm, a)] == ["《走进田野!乡村研学》"]
    assert spans.answer_spans(normalize("青禾县的一个团队获得一等奖。"), a) == []


@pytest.mark.parametrize(("word", "unit"), sorted(LEX.asked_units.items()))
def test_a_word_after_how_many_asks_its_unit(word: str, unit: str) -> None:
    a = analyze_question(f"青禾县修那座桥花了多少{word}?")
    assert a.answer.unit == unit
    norm = normalize(f"大桥由5位工程师设计，总投资3.2亿{unit}。")
    assert [norm[x:y] for x, y in spans.answer_spans(norm, a)] == [f"3.2亿{unit}"]


@pytest.mark.parametrize("word", LEX.not_category_names)
def test_a_common_word_ending_as_a_category_name_names_nothing(word: str) -> None:
    category = next(c for c, endings in LEX.categories.items() if word.endswith(endings))
    norm = normalize(f"青禾县新闻记者{word}了相关方面。")
    assert spans.category_names(norm, category) == []


@pytest.mark.parametrize("word", LEX.amount_words)
def test_a_word_naming_only_an_amount_is_given_by_a_figure_in_its_units(word: str) -> None:
    from bot.features import _measure_conflict

    units = next(u for measures, u in LEX.measure_units.values() if word in measures)
    a = analyze_question(f"青禾县去年的招商引资{word}是多少?")
    assert _measure_conflict(a, normalize(f"去年青禾县招商引资为12.5亿{units[0]}。")) == 0.0
    assert _measure_conflict(a, normalize("去年青禾县招商引资项目为36个。")) == 1.0


@pytest.mark.parametrize("role", LEX.verb_roles)
def test_a_role_that_is_a_verb_too_asks_no_role_where_it_acts_for_something(role: str) -> None:
    assert analyze_question(f"青禾县那次座谈会上，{role}县政府讲话的是谁?").constraints.role == ""
    assert analyze_question(f"青禾县那次座谈会上发言的学生{role}是谁?").constraints.role == role


@pytest.mark.parametrize("compound", LEX.role_compounds)
def test_a_role_word_inside_another_word_asks_no_role(compound: str) -> None:
    for role in ("代表", "委员", "记者"):
        assert analyze_question(f"青禾县评出的{role}{compound}中,哪一位是白沙镇人?").constraints.role == ""
    assert analyze_question(f"青禾县{compound}上发言的代表是谁?").constraints.role == "代表"


@pytest.mark.parametrize("verb", LEX.holding_verbs)
def test_a_who_question_holding_a_post_asks_that_post_not_a_role_setting_the_scene(verb: str) -> None:
    a = analyze_question(f"青禾县委书记出席的那场评比,评委是由哪些人{verb}的?")
    assert a.constraints.role == ""
    assert analyze_question(f"青禾县那次会上,由谁{verb}县长?").constraints.role == "县长"
    assert analyze_question("青禾县委书记出席的那场评比,主持的县长是谁?").constraints.role == "县长"


@pytest.mark.parametrize("verb", LEX.taking_verbs + LEX.holding_verbs)
def test_a_name_before_a_verb_of_taking_a_post_is_a_persons(verb: str) -> None:
    norm = normalize(f"去年,张约翰{verb}岚山市副市长。")
    assert [norm[a:b] for a, b in spans.titled_names(norm)] == ["张约翰"]
    norm = normalize(f"几年历练后,成功{verb}岚山市副市长。")  # a word of the dictionary is no name
    assert spans.titled_names(norm) == []


@pytest.mark.parametrize("adverb", LEX.taking_adverbs)
def test_an_adverb_may_stand_between_a_name_and_its_post(adverb: str) -> None:
    norm = normalize(f"2019年,张约翰同志{adverb}担任青禾县副县长。")
    assert [norm[a:b] for a, b in spans.titled_names(norm)] == ["张约翰"]


@pytest.mark.parametrize("word", LEX.code_words)
def test_a_question_asking_for_a_code_is_answered_by_a_figure_after_letters(word: str) -> None:
    norm = normalize("这条高速公路在国家高速公路网中为g1518，全长320公里。")
    asked = analyze_question(f"青禾高速公路的{word}是多少?")
    assert "1518" in [norm[a:b] for a, b in spans.answer_spans(norm, asked)]
    other = analyze_question("青禾高速公路的全长是多少?")
    assert "1518" not in [norm[a:b] for a, b in spans.answer_spans(norm, other)]


@pytest.mark.parametrize("unit", LEX.counted_time_units)
def test_a_counted_unit_of_time_after_ge_is_a_span_of_time(unit: str) -> None:
    norm = normalize(f"申请人可于3个{unit}内办完全部手续。")
    assert [norm[a:b] for a, b in spans.numbers(norm, duration=True)] == [f"3个{unit}"]
    a = analyze_question("在青禾县办完全部手续最快要多久?")
    assert _found_in(f"申请人可于3个{unit}内办完全部手续。", a) == [f"3个{unit}"]


@pytest.mark.parametrize("level", LEX.levels)
def test_division_levels_after_a_determiner_are_no_place_an_answer_gives(level: str) -> None:
    for determiner in sorted(LEX.determiners):
        norm = normalize(f"{determiner}{level}推进经验做法,杭州市位列第一。")
        assert "杭州市" in [norm[a:b] for a, b in spans.places(norm)]
        assert f"{determiner}{level}" not in [norm[a:b] for a, b in spans.places(norm)]


def test_a_count_in_a_unit_is_not_answered_by_a_span_of_time_holding_it() -> None:
    a = analyze_question("青禾县停车场建成后能提供多少个停车位?")
    norm = normalize("青禾县停车场项目工期14个月,建成后提供停车位600个。")
    assert [norm[x:y] for x, y in spans.answer_spans(norm, a)] == ["600个"]
    only_months = normalize("青禾县停车场项目工期14个月。")
    assert spans.answer_spans(only_months, a) == []


@pytest.mark.parametrize("writer", LEX.writers)
def test_each_writer_is_a_credit_so_asking_one_asks_a_credit(writer: str) -> None:
    from bot.extractive import _asks_writer

    assert any(writer in words for words in LEX.credit_labels.values())
    assert _asks_writer(analyze_question(f"青禾县召开项目推进会的那篇报道,{writer}是谁?"))


@pytest.mark.parametrize(("label", "wording"), [(k, w) for k, ws in LEX.credit_labels.items() for w in ws])
def test_a_credit_wording_is_read_from_a_page_and_asked_by_its_label(label: str, wording: str) -> None:
    from bot.extractive import _credit_asked
    from ingest.metadata import extract_metadata

    page = f"青禾县召开项目推进会\n会议要求加快推进重点项目。\n（{wording}：周明远）\n"
    assert extract_metadata(page, page, "report.txt").credits == {label: "周明远"}
    assert _credit_asked(analyze_question(f"青禾县召开项目推进会的那篇报道,{wording}是谁?")) == label
    # the word elsewhere in a who-question is no credit asked (摄影工艺是谁发明的), unless it is a role as well
    if not any(role in wording for role in LEX.roles):
        assert analyze_question(f"青禾县的{wording}工作是谁负责的?").constraints.role == ""


@pytest.mark.parametrize(("start", "end"), [(f, t) for f in LEX.change_from for t in LEX.change_to])
def test_a_question_asking_where_a_change_ended_is_answered_by_the_value_reached(start: str, end: str) -> None:
    from bot.candidates import candidates
    from bot.extractive import asks_reached, short_answer

    a = analyze_question(f"青禾县的茶叶收购价调{end}了一斤多少钱?")
    assert asks_reached(a) and not asks_reached(analyze_question("青禾县的茶叶收购价是一斤多少钱?"))
    text = normalize(f"青禾县决定将茶叶收购价{start}20元/斤上调{end}26元/斤,供应价相应上调约3元/斤。")
    hit = _hit(text, "青禾县调整茶叶收购价")
    assert short_answer(a, candidates(a, [hit])[0]) == "26元"
    plain = analyze_question("青禾县的茶叶收购价原来是一斤多少钱?")  # nothing reached asked: the nearest figure
    assert short_answer(plain, candidates(plain, [hit])[0]) == "20元"


@pytest.mark.parametrize("adverb", LEX.change_adverbs)
def test_an_adverb_between_a_measure_and_its_change_word_leaves_the_change_asked_of_the_measure(adverb: str) -> None:
    from bot.features import _changed_measure, _measure_conflict

    a = analyze_question(f"青禾县今年的快递业务量{adverb}增长了多少?")
    changed = _changed_measure(a)
    assert changed is not None and changed.text.endswith("业务量")
    assert _measure_conflict(a, normalize("今年全县生产总值增长8.5%。")) == 1.0
    assert _measure_conflict(a, normalize("今年全县快递业务量增长12.3%。")) == 0.0


@pytest.mark.parametrize(("suffix", "units"), list(LEX.amount_suffixes.items()))
def test_the_amount_of_a_word_is_stated_by_the_word_beside_a_figure_in_its_units(suffix: str,
                                                                                 units: tuple[str, ...]) -> None:
    from bot.features import _measure_conflict

    a = analyze_question(f"青禾县今年前7个月的进出口{suffix}是多少?")
    assert _measure_conflict(a, normalize(f"今年前7个月,青禾县进出口733.3亿{units[0]},增长33.5%。")) == 0.0
    assert _measure_conflict(a, normalize("青禾县进出口企业达120家,增长8%。")) == 1.0  # the word, no amount of it
    assert _measure_conflict(a, normalize(f"今年前7个月,青禾县生产总值733.3亿{units[0]}。")) == 1.0


@pytest.mark.parametrize("ending", LEX.street_endings)
def test_a_street_address_is_one_place(ending: str) -> None:
    norm = normalize(f"青禾县便民服务中心位于文昌{ending}12号,共五层。")
    found = [norm[i:j] for i, j in spans.places(norm)]
    assert f"文昌{ending}12号" in found and "文昌" not in found
    a = analyze_question("青禾县便民服务中心的地址在哪里?")
    assert spans.answer_spans(norm, a) and norm[slice(*spans.answer_spans(norm, a)[0])] == f"文昌{ending}12号"


_SAME_TIME = [(a, b) for g in LEX.same_parts for a in g for b in g if a != b]
_YEAR_END = [(e, w) for e in LEX.year_ends for w in LEX.whole_year]  # 年底 is told of by 全年 (one way only)


@pytest.mark.parametrize(("asked", "written"), _SAME_TIME + _YEAR_END)
def test_a_part_of_the_year_is_named_by_its_other_wordings(asked: str, written: str) -> None:
    from bot.features import _time

    a = analyze_question(f"青禾县{asked}的粮食储备是多少?")
    assert asked in a.constraints.parts
    norm = normalize(f"{written}，全县粮食储备达41万吨。")
    hit = _hit(norm, "青禾县粮食储备")
    got = _time(a, norm, hit, "")
    assert got["part_ok"] == 1.0 and got["part_conflict"] == 0.0
    other = normalize("上半年，全县粮食储备达41万吨。")  # another part named: still a conflict
    assert _time(a, other, hit, "")["part_conflict"] == 1.0


@pytest.mark.parametrize(("end", "whole"), _YEAR_END)
def test_the_whole_year_is_no_end_of_a_year(end: str, whole: str) -> None:
    from bot.features import _time

    b = analyze_question(f"青禾县{whole}的粮食储备是多少?")
    norm = normalize(f"{end}前，全县粮食储备达41万吨。")
    assert _time(b, norm, _hit(norm, "青禾县粮食储备"), "")["part_conflict"] == 1.0


@pytest.mark.parametrize("noun", LEX.date_nouns)
def test_a_date_noun_asks_a_date_unless_another_kind_is_asked(noun: str) -> None:
    assert answer_type(normalize(f"青禾县新修的那座大桥通车的{noun}?")).kind == "date"
    # the date is the scene; the question word asks who
    assert answer_type(normalize(f"青禾县撤县设区的{noun}是哪位县长任上?")).kind == "person"


@pytest.mark.parametrize("mark", LEX.baseline_before)
def test_a_year_after_a_comparison_word_is_its_baseline_not_its_time(mark: str) -> None:
    from retrieval.analysis import without_baselines

    told = without_baselines(normalize(f"今年全县生产总值达820亿元,{mark}2022年增长6.1%,{mark}去年同期提高2个百分点。"))
    assert "2022" not in told and "去年" not in told and "今年" in told


@pytest.mark.parametrize("mark", LEX.baseline_after)
def test_a_year_before_a_comparison_word_is_its_baseline_not_its_time(mark: str) -> None:
    from bot.features import _time

    a = analyze_question("青禾县今年上半年的粮食产量是多少?")
    norm = normalize(f"上半年,全县粮食产量41万吨,与上年同期{mark}增长3%。")
    hit = _hit(norm, "青禾县粮食生产", 2023)
    got = _time(a, norm, hit, "")
    assert got["year_ok"] == 1.0 and got["year_conflict"] == 0.0
    other = normalize(f"去年上半年,全县粮食产量39万吨,与前年同期{mark}增长1%。")  # last year's figure: a conflict
    assert _time(a, other, hit, "")["year_conflict"] == 1.0


@pytest.mark.parametrize("interval", LEX.frequency_intervals)
def test_an_interval_word_before_how_long_asks_how_often(interval: str) -> None:
    a = analyze_question(f"青禾县的河长{interval}多久巡河?")
    assert a.answer.frequency
    norm = normalize("青禾县的河长每周巡河,全年累计巡河5200人次。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == ["每周"]


@pytest.mark.parametrize("mark", LEX.frequency_marks)
def test_a_mark_after_how_long_asks_how_often_and_answers_it(mark: str) -> None:
    a = analyze_question(f"青禾县的联席会议多长时间召开{mark}?")
    assert a.answer.frequency and not analyze_question("青禾县的联席会议开了多长时间?").answer.frequency
    norm = normalize(f"联席会议两个月{mark},由陈立新主持,每次2小时。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == [f"两个月{mark}"]


@pytest.mark.parametrize("lead", LEX.frequency_leads)
def test_a_time_unit_after_a_lead_tells_how_often(lead: str) -> None:
    a = analyze_question("青禾县的农博会几年举办一次?")
    norm = normalize(f"青禾县农博会{lead}两年举办一次,今年是第5届。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == [f"{lead}两年"]


@pytest.mark.parametrize(("before", "unit"), list(LEX.asked_before.items()))
def test_a_word_before_how_many_asks_its_unit(before: str, unit: str) -> None:
    a = analyze_question(f"青禾县的项目落地率达到{before}多少?")
    assert a.answer.unit == unit
    assert not spans.answer_spans(normalize("青禾县8个项目落地,总投资36亿元。"), a)
    norm = normalize(f"青禾县项目落地率达到93.5{unit}。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == [f"93.5{unit}"]


@pytest.mark.parametrize("between", LEX.baseline_between)
def test_a_year_compared_against_may_be_followed_by_its_part(between: str) -> None:
    from retrieval.analysis import without_baselines

    told = without_baselines(normalize(f"今年全县生产总值达820亿元,与去年{between}相比增长6.1%。"))
    assert "去年" not in told and "今年" in told


@pytest.mark.parametrize("word", LEX.size_words)
def test_a_size_is_not_answered_by_a_count(word: str) -> None:
    a = analyze_question(f"青禾县新修的文昌路{word}?")
    assert a.answer.size
    assert not spans.answer_spans(normalize("青禾县对文昌路等8条新建道路予以命名。"), a)
    norm = normalize("文昌路1920米,位于城东。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == ["1920米"]


@pytest.mark.parametrize("word", LEX.size_measures)
def test_a_size_named_is_not_answered_by_a_count(word: str) -> None:
    a = analyze_question(f"青禾县博物馆那件展品的{word}是多少?")
    assert a.answer.size
    assert not spans.answer_spans(normalize("博物馆共有两个展厅,展品300余件。"), a)
    norm = normalize(f"这件展品{word}为46厘米。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == ["46厘米"]
    assert not analyze_question(f"展品{word}超过46厘米的,馆里有多少?").answer.size  # named in another clause


@pytest.mark.parametrize("word", LEX.score_words)
def test_a_score_asked_is_answered_by_two_figures_as_one(word: str) -> None:
    question = f"青禾队和岚山队那场比赛{word}?" if "比" in word[1:-1] else f"青禾队和岚山队那场比赛的{word}是多少?"
    a = analyze_question(question)
    assert a.answer.kind == "number" and a.answer.score
    norm = normalize("第15轮比赛于19:30开球,青禾队最终以2比1战胜岚山队,打进2球。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == ["2比1"]
    assert not spans.answer_spans(normalize("比赛于19:30开球,青禾队打进2球。"), a)  # a time, a count: no score


def test_a_score_word_inside_other_words_asks_no_score() -> None:
    assert not analyze_question("对比数据显示,青禾县去年工业产值增长了多少?").answer.score  # 对比/数据, no 比数


@pytest.mark.parametrize("noun", LEX.manner_nouns)
def test_a_spirit_asked_is_answered_by_the_spirit_a_sentence_asks_for(noun: str) -> None:
    a = analyze_question(f"周青禾要求干部以什么样的{noun}推进项目?")
    assert a.answer.kind == "statement" and a.answer.category == noun
    assert noun in [t.text for t in a.terms]  # a word the answer's sentence may well repeat
    norm = normalize(f"干部要以只争朝夕的{noun},全力推进项目。")
    assert [norm[i:j] for i, j in spans.answer_spans(norm, a)] == [f"以只争朝夕的{noun}"]


@pytest.mark.parametrize("word", LEX.manner_asks)
def test_a_manner_word_before_a_spirit_asks_for_it(word: str) -> None:
    assert analyze_question(f"青禾县要求干部以{word}一种精神状态推进项目?").answer.category == "精神状态"
    assert analyze_question(f"青禾县要求干部以{word}的方式推进项目?").answer.category == ""  # a way, no spirit


@pytest.mark.parametrize("noun", LEX.amount_nouns)
def test_an_amount_noun_leaves_the_question_its_measure(noun: str) -> None:
    a = analyze_question(f"青禾县今年的粮食{noun}是多少?")
    assert a.constraints.measure == ("粮食",)
    assert noun in analyze_question(f"青禾县今年的{noun}是多少?").constraints.measure  # alone, it is the measure


@pytest.mark.parametrize("word", LEX.present_words)
def test_a_sentence_telling_of_the_present_in_an_undated_document_does_not_show_the_year_asked(word: str) -> None:
    from bot.features import _time

    a = analyze_question("2022年青禾县的茶叶产量是多少吨?")
    norm = normalize(f"{word},青禾县种植茶叶4.5万亩,产量2.3万吨。")

    def year_ok(year: int | None) -> float:
        return _time(a, norm, _hit(norm, "青禾茶叶", year), "")["year_ok"]

    assert year_ok(None) == 0.0  # now, in a document of no known year: not shown to be 2022
    assert year_ok(2022) == 1.0  # the document's year says which


@pytest.mark.parametrize("lead", LEX.magnitude_leads)
def test_a_magnitude_alone_after_a_lead_word_is_a_figure(lead: str) -> None:
    norm = normalize(f"青禾县的茶叶产值{lead}千万元,千家万户受益。")
    assert [norm[a:b] for a, b in spans.numbers(norm, "元")] == [f"{lead}千万元"]


@pytest.mark.parametrize("char", LEX.not_in_local_names)
def test_a_run_holding_this_character_names_no_village_or_town(char: str) -> None:
    from retrieval.analysis import _local_places

    assert "岭东镇" in _local_places(normalize("青禾县白沙镇岭东镇的公路有多长?"))
    assert _local_places(normalize(f"青禾县白沙镇岭{char}东镇的公路有多长?")) == ["白沙镇"]


@pytest.mark.parametrize(("part", "months"), list(LEX.part_months.items()))
def test_a_day_in_a_month_of_the_part_asked_dates_an_event_in_it(part: str, months: tuple[int, int]) -> None:
    from bot.features import _time

    assert part in LEX.year_parts
    first, last = months
    assert 1 <= first <= last <= 12
    norm = normalize("青禾县新体育馆正式开放。")
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=len(norm), text=norm, norm=norm)
    dated = DocumentMeta(title="青禾县新体育馆", date=dt.date(2023, 12, 30))  # a dated report: its parts are known
    hit = Hit(chunk=chunk, meta=dated, score=1.0, scores=Scores(fused=1.0, rerank=1.0))
    when = analyze_question(f"青禾县{part}什么时候开放新体育馆?")
    assert when.answer.kind == "date" and part in when.constraints.parts
    assert _time(when, normalize(f"{last}月8日，青禾县新体育馆正式开放。"), hit, "")["part_ok"] == 1.0
    if last - first < 11:  # a month outside the part dates it to another
        outside = last % 12 + 1 if first == 1 else first - 1
        assert _time(when, normalize(f"{outside}月8日，青禾县新体育馆正式开放。"), hit, "")["part_ok"] == 0.0
    # asked an amount, a month of the part is no figure of the part (a month's figure is not a half-year's)
    much = analyze_question(f"青禾县{part}开放了多少个体育馆?")
    assert _time(much, normalize(f"{last}月8日，青禾县12个体育馆正式开放。"), hit, "")["part_ok"] == 0.0


@pytest.mark.parametrize("record", LEX.records)
def test_a_record_pointed_at_is_asked_about_itself(record: str) -> None:
    from bot.extractive import points_at_record

    assert points_at_record(analyze_question(f"提出建设青禾新城的那篇{record}是谁作的?"))
    assert not points_at_record(analyze_question(f"青禾县的{record}是谁作的?"))  # no pointer


@pytest.mark.parametrize("counter", LEX.record_counters)
def test_a_counter_may_stand_between_the_pointer_and_the_record(counter: str) -> None:
    from bot.extractive import points_at_record

    assert points_at_record(analyze_question(f"这{counter}讲话是谁讲的?"))


@pytest.mark.parametrize("word", LEX.record_contents)
def test_what_a_record_says_is_no_question_about_the_record(word: str) -> None:
    from bot.extractive import points_at_record

    assert not points_at_record(analyze_question(f"那篇讲话{word}的会议是哪个?"))


@pytest.mark.parametrize("counter", LEX.ordinal_counters)
def test_the_first_of_a_series_is_written_either_way(counter: str) -> None:
    for first in LEX.ordinal_firsts:
        assert f"{first}{counter}" in alternatives(f"第一{counter}")
        assert f"{first}{counter}" in alternatives(f"第1{counter}")
        assert {f"第一{counter}", f"第1{counter}"} <= set(alternatives(f"{first}{counter}"))
    assert alternatives(f"第二{counter}") == (f"第二{counter}",)  # only the first has another wording


@pytest.mark.parametrize("tail", LEX.month_tails)
def test_a_month_with_its_tail_is_looked_for_in_either_script_of_numerals(tail: str) -> None:
    assert f"5月{tail}" in alternatives(f"五月{tail}")
    assert f"十一月{tail}" in alternatives(f"11月{tail}")
    assert alternatives(f"三个月{tail}") == (f"三个月{tail}",)  # a span of three months is no month


def test_a_question_asking_how_many_years_is_answered_by_an_anniversary() -> None:
    a = analyze_question("青禾县建县已经满多少年了?")
    assert _found_in("今年是青禾县建县60周年,各项活动陆续展开。", a) == ["60周年"]
    assert _found_in("岚山大桥建成30年来,从未大修。", a) == ["30年"]


@pytest.mark.parametrize("follower", LEX.bare_followers)
def test_a_bare_figure_answers_a_count_by_classifier_only_before_no_classifier_of_its_own(follower: str) -> None:
    a = analyze_question("青禾县书画展一共收到多少幅作品?")
    assert _found_in(f"本次书画展收到作品115{follower}。", a)[:1] == ["115"]
    assert _found_in("青禾县实验小学305班的作品入选。", a) == []  # 305 has its own classifier: a class


@pytest.mark.parametrize("anaphor", LEX.anaphors)
def test_a_sentence_opening_with_an_anaphor_is_quoted_with_the_one_before(anaphor: str) -> None:
    from bot.candidates import Candidate, sentences_of
    from bot.extractive import _antecedent
    from retrieval.models import Chunk, DocumentMeta, Hit, Scores

    text = f"知县周明远主持修筑了环城石堤。{anaphor}也是青禾县现存最早的水利工程。"
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=len(text), text=text, norm=text)
    hit = Hit(chunk=chunk, meta=DocumentMeta(title="d"), score=1.0, scores=Scores(fused=1.0, rerank=1.0))
    first, second = sentences_of([hit])
    a = analyze_question("青禾县现存最早的水利工程是哪个?")
    found = _antecedent(a, Candidate(second, {}, text[second.start:second.end]), [hit])
    assert found is not None and found.text == "知县周明远主持修筑了环城石堤。"
    assert _antecedent(a, Candidate(first, {}, text[first.start:first.end]), [hit]) is None  # points at nothing


@pytest.mark.parametrize("lead", LEX.ordinal_figure_leads)
def test_a_figure_with_a_rank_suffix_right_after_a_rank_lead_is_a_rank(lead: str) -> None:
    a = analyze_question("青禾县的综合实力在全省排第几?")
    found = _found_in(f"青禾县综合实力{lead}全省15位。", a)
    assert len(found) == 1 and found[0].endswith("15位")
    assert _found_in("下列3名同志获得表彰,青禾县居民3名参加比赛。", a) == []  # counts of people, no ranks
