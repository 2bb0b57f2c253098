"""analyze_question: one immutable analysis of a question — answer type, key terms, constraints, parts, sides and
follow-up resolution — made from made-up questions (never evaluation questions)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from retrieval.analysis import CARRIED_WEIGHT, PLACE_WEIGHT, analyze_question

DF = {"固定资产投资": 2, "增长": 40, "青禾县": 10, "岚山市": 10, "招商引资": 5, "产值": 8, "债务": 3}


class Stats:
    """Document frequencies of a tiny made-up library."""

    N = 50

    def df(self, token: str) -> int:
        return DF.get(token, 0)

    def idf(self, token: str) -> float:
        df = self.df(token)
        return math.log(1 + (self.N - df + 0.5) / (df + 0.5))


def _texts(a) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text for t in a.terms]


def test_the_analysis_is_immutable() -> None:
    a = analyze_question("青禾县今年固定资产投资增长多少?")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.norm = "x"  # type: ignore[misc]


@pytest.mark.parametrize(("question", "kind", "unit"), [
    ("青禾县今年新增了多少家小微企业?", "number", "家"),
    ("岚山市粮食总产量要达到多少万吨?", "number", "吨"),
    ("这次会议是谁主持的?", "person", ""),
    ("白沙村的新码头什么时候建成?", "date", ""),
    ("今年要抓好哪四件事?", "list", ""),
    ("新的产业园建在哪里?", "place", ""),
    ("项目为王是什么意思?", "statement", ""),
    # a unit that jieba reads as the first character of a word asks about that word (项目, 款物, 家庭), no unit;
    # 多少个人 counts people (人, however jieba cuts 个人); 多少个人口 counts in 个
    ("青禾县今年有多少项目开工?", "number", ""),
    ("青禾县红十字会一共发放了多少款物?", "number", ""),
    ("青禾县有多少家庭受益?", "number", ""),
    ("青禾县有多少个人参加了培训?", "number", "人"),
    ("青禾县这次抢险救出了几个人?", "number", "人"),
    ("青禾县有多少个人口过万的镇?", "number", "个"),
    ("青禾县新增了多少款车型?", "number", "款"),
])
def test_answer_kind_and_unit(question: str, kind: str, unit: str) -> None:
    a = analyze_question(question)
    assert (a.answer.kind, a.answer.unit) == (kind, unit)


@pytest.mark.parametrize(("question", "kind"), [
    # a rate or rank noun outside the question word's clause is the occasion, not what is asked
    ("针对青禾县一季度工业增速放缓,县里开展了什么行动?", "statement"),
    ("岚山市境内以什么地貌为主,占比约七成?", "statement"),
    ("面对排名下滑,白沙镇请了谁来指导?", "person"),
    # in the question word's clause, or with no question word at all, it asks a figure
    ("青禾县一季度工业增速是多少?", "number"),
    ("青禾县的财政收入占比呢", "number"),
    ("在全市排名中,岚山区位居第几?", "number"),
])
def test_a_rate_or_rank_noun_asks_a_figure_only_in_the_question_words_clause(question: str, kind: str) -> None:
    assert analyze_question(question).answer.kind == kind


@pytest.mark.parametrize(("question", "named"), [
    ("青禾县春节前组织了一场什么名目的行动?", "行动"),
    ("岚山市入选了什么试点?", "试点"),
    ("白沙镇获评全国首批什么旅游城市称号?", "称号"),  # the last noun of the run after the question word
    ("青禾县为什么要发展茶产业?", ""),  # 为什么 asks why, and no noun follows
    ("青禾县的第一所大学是哪所学校?", ""),  # a category of the lexicon: its own names
])
def test_the_noun_after_what_names_the_kind_of_thing_asked(question: str, named: str) -> None:
    assert analyze_question(question).answer.named == named


def test_a_counted_list_knows_how_many_items() -> None:
    assert analyze_question("今年要抓好哪四件事?").answer.count == 4


@pytest.mark.parametrize(("question", "count"), [
    ("青禾新区的产业布局包括哪三个板块?", 3),  # 包括哪 is read first; 哪三 still says how many
    ("这片湿地有哪两处候鸟栖息地?", 2),
    ("这片湿地有哪些候鸟栖息地?", 0),
    ("有哪几个板块?", 0),
])
def test_a_list_word_before_the_numeral_keeps_the_count(question: str, count: int) -> None:
    a = analyze_question(question)
    assert (a.answer.kind, a.answer.count) == ("list", count)


@pytest.mark.parametrize(("question", "terms"), [
    ("青禾县哪两项收入指标下滑?", {"收入", "指标", "下滑"}),
    ("岚山市哪三个乡镇入选了示范镇?", {"乡镇", "入选"}),
    ("青禾县哪四类企业享受补贴?", {"享受", "补贴"}),  # (企业 is the kind asked)
])
def test_the_count_of_a_counted_list_is_part_of_the_question_word_not_a_term(question: str, terms: set) -> None:
    a = analyze_question(question)
    assert a.answer.kind == "list" and a.answer.count > 1
    assert terms <= {t.text for t in a.terms}
    assert not any(t.text[0] in "两三四" for t in a.terms)  # not 两项, 三个, 四类: no sentence need write them


def test_a_rank_question_asks_for_an_ordinal() -> None:
    a = analyze_question("青禾县的地区生产总值排全市第几?")
    assert a.answer.kind == "number" and a.answer.ordinal


def test_a_category_noun_is_not_a_key_term() -> None:
    a = analyze_question("那位副县长本科毕业于哪所学校?")
    assert a.answer.category == "学校"
    assert "学校" not in _texts(a)
    assert a.answer.kind == "statement"


def test_a_round_figure_and_some_is_no_question() -> None:
    """20几所 is "twenty-odd": the question asks where, not how many."""
    assert analyze_question("青禾县20几所学校的学生在哪里集会?").answer.kind == "place"
    assert analyze_question("青禾县有几所学校?").answer.kind == "number"


def test_interrogatives_and_function_words_are_dropped() -> None:
    a = analyze_question("请问青禾县一共新建了多少个村级服务站?")
    assert "多少" not in "".join(_texts(a)) and "请问" not in _texts(a)
    assert "村级" in "".join(_texts(a))


@pytest.mark.parametrize(("question", "speaker"), [
    ("青禾县委要求干部保持什么样的干劲?", "县委"),  # a party committee
    ("王建国要求干部保持什么样的干劲?", "王建国"),  # a person
    ("讲话强调要守住什么底线?", ""),  # the speech itself
])
def test_a_speakers_reporting_verb_frames_the_question(question: str, speaker: str) -> None:
    texts = _texts(analyze_question(question))
    assert not {"要求", "强调"} & set(texts)
    assert not speaker or speaker in texts


def test_the_day_asked_beside_points_counted_is_a_day() -> None:
    asked = analyze_question("青禾县是哪天提出了几点要求?").answer
    assert (asked.kind, asked.grain) == ("date", "day")
    assert analyze_question("青禾县大桥哪天几点通车?").answer.grain == "clock"


def test_a_reporting_verb_after_no_speaker_stays_a_term() -> None:
    assert "要求" in _texts(analyze_question("被要求保持什么样的干劲?"))


@pytest.mark.parametrize(("question", "kept", "dropped"), [
    ("岚山市这项制度后来成为什么样的样板?", "成为", "成样"),  # 为什么 is not asked: 成为 is a word
    ("青禾县的老街区现在被称为什么?", "称为", ""),
    ("林晓岚是谁的学生?", "林晓岚", "林晓岚是"),  # the name is not glued to the 是 before the question word
    ("岚山市离省城有多远?", "省城", "多远"),  # a word holding the question word whole keeps it asked
])
def test_question_words_are_cut_where_words_start(question: str, kept: str, dropped: str) -> None:
    texts = _texts(analyze_question(question))
    assert kept in texts
    assert not dropped or not any(dropped in t for t in texts)


def test_the_focus_is_the_measure_beside_the_question_word() -> None:
    assert set(analyze_question("青禾县上半年投资完成率要达到多少?").constraints.measure) == {"投资", "完成率"}
    assert "小微企业" in analyze_question("青禾县今年新增多少家小微企业?").constraints.measure


def test_the_focus_stays_in_the_question_words_clause() -> None:
    a = analyze_question("青禾县召开的项目推进会上，新开工了多少个项目?")
    assert "推进会" not in a.constraints.measure


def test_years_parts_and_relative_years_are_constraints() -> None:
    c = analyze_question("2022年第三季度青禾县的财政收入是多少?").constraints
    assert c.years == (2022,) and c.parts == ("第三季度",)
    assert analyze_question("青禾县去年的财政收入是多少?").constraints.relative_year == -1


def test_a_month_and_day_is_a_date_term_not_two_numbers() -> None:
    a = analyze_question("岚山市8月12日召开的推进会上签约了几个项目?")
    assert "8月12日" in _texts(a)
    assert "8" not in _texts(a) and "12" not in _texts(a)
    assert a.constraints.dates == ("8月12日",)


def test_places_are_constraints_and_weigh_less() -> None:
    a = analyze_question("岚山市的固定资产投资增长了多少?", stats=Stats())
    assert "岚山" in "".join(a.places)
    place = next(t for t in a.terms if t.kind == "place")
    assert place.weight == pytest.approx(min(Stats().idf(place.text), 8.0) * PLACE_WEIGHT)


def test_rare_terms_weigh_more() -> None:
    a = analyze_question("青禾县固定资产投资增长多少?", stats=Stats())
    w = {t.text: t.weight for t in a.terms}
    assert w["固定资产投资"] > w["增长"]


def test_places_of_one_level_written_side_by_side_are_a_list() -> None:
    a = analyze_question("青禾县考察团到江苏浙江取经,带回了哪些经验?", stats=Stats())
    assert all(t.listed for t in a.terms if t.kind == "place")
    a = analyze_question("苏州和无锡今年新增多少家企业?", stats=Stats())
    assert all(t.listed for t in a.terms if t.kind == "place")
    a = analyze_question("浙江杭州今年新增多少家企业?", stats=Stats())  # a city inside its province: no list
    assert not any(t.listed for t in a.terms if t.kind == "place")


def test_an_unseen_colloquial_word_weighs_as_its_official_wording() -> None:
    a = analyze_question("青禾县的欠债有多少?", stats=Stats())
    assert next(t for t in a.terms if t.text == "欠债").weight == pytest.approx(Stats().idf("债务"))
    assert "债务" in a.words  # and the official word is searched for


def test_a_question_of_two_parts_has_two_analyses() -> None:
    a = analyze_question("青禾县今年要引进多少个亿元以上项目?落地率要达到多少?")
    assert len(a.parts) == 2
    assert a.parts[1].follow_up and "青禾县" in a.parts[1].standalone


def test_one_sentence_asking_two_things_keeps_its_clauses_as_asks_to_try_apart() -> None:
    """「…白沙大桥是哪年建成的、建在哪里?」: two asks in two clauses of one sentence. The question stays one (a sentence
    may answer both); each ask, the clauses before it included and a later one set in the scene of the first, is
    there to be asked alone."""
    a = analyze_question("岚山市的白沙大桥是哪年建成的、建在哪里?")
    assert a.parts == () and len(a.asks) == 2
    assert a.asks[0].answer.kind == "date" and "白沙大桥" in a.asks[0].standalone
    assert a.asks[1].answer.kind == "place" and "白沙大桥" in a.asks[1].standalone
    # 几 of several (那几天, 几百个) and a conditional clause's question word ask nothing
    assert analyze_question("那几天，岚山市一共下了多少雨?").asks == ()
    assert analyze_question("青禾县几百个村里，有多少个摘了帽?").asks == ()
    assert analyze_question("无论遇到什么困难，青禾县都要完成多少任务?").asks == ()
    assert analyze_question("青禾县今年新建多少个园区?入园企业有多少家?").asks == ()  # parts already


def test_a_later_part_is_set_in_the_scene_of_the_first_even_when_it_reads_whole() -> None:
    # 「覆盖全市多少个村」 is no follow-up on its own (long, no pronoun), but 全市 is the first part's 岚山县
    a = analyze_question("岚山县组建了多少个乡村医疗服务队?覆盖全市多少个行政村和社区?")
    assert len(a.parts) == 2
    second = a.parts[1]
    assert second.follow_up and "岚山" in second.standalone
    assert [t.text for t in second.terms if t.kind == "place" and t.carried] == ["岚山"]


def test_an_elliptical_follow_up_carries_place_and_time() -> None:
    a = analyze_question("那不良贷款率呢?", ["青禾县一季度的存款余额增长了多少?"], stats=Stats())
    assert a.follow_up and a.answer.kind == "number"
    assert "青禾县" in a.standalone and "一季度" in a.standalone
    carried = [t for t in a.terms if t.carried]
    assert carried and all(t.weight <= min(Stats().idf(t.text), 8.0) * CARRIED_WEIGHT + 1e-9 for t in carried)


def test_a_question_naming_no_subject_of_its_own_leans_on_the_previous_turn_however_long() -> None:
    previous = ["青禾县今年夏天的暴雨让多少人受灾?"]
    a = analyze_question("农作物的受灾面积一共有多大?", previous, stats=Stats())
    assert a.follow_up and "青禾县" in a.standalone
    assert not analyze_question("岚山市农作物的受灾面积有多大?", previous, stats=Stats()).follow_up  # names its own
    assert not analyze_question("2022年农作物的受灾面积一共有多大?", previous, stats=Stats()).follow_up


def test_the_time_a_follow_up_leans_on_is_preferred_not_required() -> None:
    a = analyze_question("那不良贷款率呢?", ["青禾县一季度的存款余额增长了多少?"], stats=Stats())
    assert a.constraints.parts == ()
    assert any(t.text == "一季度" and t.carried for t in a.terms)
    assert analyze_question("那二季度的不良贷款率呢?", ["青禾县一季度的存款余额增长了多少?"]).constraints.parts == (
        "二季度",)


def test_a_follow_up_with_its_own_question_word_keeps_it() -> None:
    a = analyze_question("那老城区要怎么改造?", ["岚山市的开发区今年招商目标是多少?"])
    assert a.follow_up and a.standalone.endswith("要怎么改造?")
    assert "多少" not in a.standalone


def test_a_pronoun_is_replaced_by_the_previous_subject() -> None:
    a = analyze_question("它今年的产值是多少?", ["岚山市白鹭湾产业园是哪一年建成的?"])
    assert a.standalone.startswith("岚山市白鹭湾产业园")


@pytest.mark.parametrize(("previous", "question", "kept", "dropped"), [
    ("岚山市开发区要求企业保持什么样的增长势头?", "那要争当哪几类标兵?", "岚山市开发区", "势头"),
    ("青禾县今年要守住哪两条底线?", "那秋冬季要严格落实什么?", "青禾县", "底线"),
    ("白鹭湾园区要和哪些高校保持合作?", "那具体要引进多少人才?", "白鹭湾", "高校"),
])
def test_what_the_previous_question_asked_about_does_not_carry(previous: str, question: str, kept: str,
                                                              dropped: str) -> None:
    a = analyze_question(question, [previous])
    assert a.follow_up and kept in a.standalone and dropped not in a.standalone
    assert not any(t.carried and dropped in t.text for t in a.terms)


def test_a_part_of_what_was_counted_is_asked_of_it_without_its_question_word() -> None:
    a = analyze_question("其中位于山区的占几个?", ["青禾县今年新建了多少个村级服务站?"])
    assert a.standalone.startswith("青禾县今年新建了村级服务站")  # counted after its question word: carried too
    assert "多少" not in a.standalone
    assert {"服务站", "山区"} <= {t.text for t in a.terms}


@pytest.mark.parametrize(("previous", "question", "counted"), [
    ("岚山市白沙镇对全镇多少个村级服务站做了提质改造?", "那一共投进去多少钱?", "服务站"),
    ("岚山市今年要完成多少亿元固定资产投资?", "同比增长多少?", "固定资产投资"),
])
def test_what_a_previous_figure_counted_is_the_subject_of_the_next_figure_asked(previous: str, question: str,
                                                                                 counted: str) -> None:
    a = analyze_question(question, [previous])
    assert counted in a.standalone and "多少" not in a.standalone.removesuffix("多少钱?").removesuffix("多少?")
    assert any(t.carried and counted in t.text for t in a.terms)


def test_the_previous_question_carries_whole_when_its_question_word_comes_first() -> None:
    a = analyze_question("它今年的产值是多少?", ["哪家企业在岚山市白鹭湾产业园落户?"])
    assert "白鹭湾" in a.standalone


@pytest.mark.parametrize(("question", "whole"), [
    ("为此要成立哪些机构?", "岚山市白鹭湾产业园为此要成立哪些机构?"),  # 此 of 为此 stands for no subject
    ("其余的产值是多少?", "岚山市白鹭湾产业园其余的产值是多少?"),  # nor 其 of 其余
    ("它们的产值是多少?", "岚山市白鹭湾产业园的产值是多少?"),  # 它们 is a pronoun, not 它 + 们
])
def test_a_pronoun_is_replaced_only_where_it_is_a_word(question: str, whole: str) -> None:
    a = analyze_question(question, ["岚山市白鹭湾产业园是哪一年建成的?"])
    assert a.standalone == whole


def test_a_new_time_replaces_the_previous_one() -> None:
    a = analyze_question("那2023年呢?", ["青禾县2022年的财政收入是多少?"])
    assert "2023" in a.standalone and "2022" not in a.standalone


def test_a_follow_up_searches_with_the_previous_turn() -> None:
    a = analyze_question("它的产值是多少?", ["岚山市白鹭湾产业园是哪一年建成的?"])
    assert "白鹭" in "".join(a.words)


def test_a_standalone_question_ignores_the_history() -> None:
    a = analyze_question("岚山市今年要建几个现代农业产业园?", ["青禾县的债务有多少?"])
    assert not a.follow_up and "青禾" not in a.standalone


def test_a_comparison_has_one_side_per_place() -> None:
    a = analyze_question("苏州和无锡在招商引资上有什么不同?")
    assert [s.places for s in a.sides] == [("苏州",), ("无锡",)]
    assert all("招商引资" in s.standalone for s in a.sides)
    assert "无锡" not in a.sides[0].standalone


@pytest.mark.parametrize(("question", "sides", "asked"), [
    ("青禾县和岚山市各有多少个亿元以上项目?", ("青禾县", "岚山市"), "青禾县有多少个亿元以上项目?"),
    ("2024年3月,青禾县和岚山市分别由谁担任代理县(市)长?", ("青禾县", "岚山市"),
     "2024年3月,青禾县由谁担任代理县(市)长?"),
    ("青禾县白沙村和岚山市东湖镇的人均收入分别是多少?", ("青禾县白沙村", "岚山市东湖镇"),
     "青禾县白沙村的人均收入是多少?"),
    ("青禾的茶叶和岚山的柑橘,这两个特色产业的产值各是多少?", ("青禾的茶叶", "岚山的柑橘"),
     "青禾的茶叶,这两个特色产业的产值是多少?"),
    ("经济工作会议讲话和乡村振兴推进会讲话分别提到了哪条高速?", ("经济工作会议讲话", "乡村振兴推进会讲话"),
     "经济工作会议讲话提到了哪条高速?"),
    # two measures of one owner spread over by 分别 or 各: the owner before the left side's 的 is both sides'
    ("青禾县去年的出口额和进口额分别是多少?", ("出口额", "进口额"), "青禾县去年的出口额是多少?"),
    ("岚山市今年新开工的市级项目和省级项目分别有几个?", ("市级项目", "省级项目"), "岚山市今年新开工的市级项目有几个?"),
    # (not the 的 of a title)
    ("《青禾下的茶山》和《岚山月》分别是谁写的?", ("《青禾下的茶山》", "《岚山月》"), "《青禾下的茶山》是谁写的?"),
])
def test_a_comparison_names_its_sides_by_the_phrases_around_its_joiner(question: str, sides: tuple[str, str],
                                                                       asked: str) -> None:
    a = analyze_question(question)
    assert tuple(s.side for s in a.sides) == sides
    assert a.sides[0].standalone == asked
    assert a.sides[1].standalone == asked.replace(*sides)


@pytest.mark.parametrize("question", ["青禾县的招商引资目标是多少?", "和谐社区建设分别在哪些村开展?",
                                      "参与帮扶的企业有多少家?", "青禾县的茶叶和柑橘产业发展得怎么样?"])
def test_no_comparison_without_an_ask_and_a_joiner_between_two_sides(question: str) -> None:
    assert analyze_question(question).sides == ()


@pytest.mark.parametrize(("previous", "question", "whole"), [
    ("2023年嘉兴市新任市委书记是谁?", "那湖州市呢?", "2023年湖州市新任市委书记是谁"),
    ("青禾县提出“三强两高”,其中“三强”指什么?", "那“两高”呢?", '青禾县提出"三强两高",其中"两高"指什么'),
    ("青禾县农商行去年发放了多少涉农贷款?", "那东湖镇农商行呢?", "东湖镇农商行去年发放了多少涉农贷款"),
    ("白沙村城东片区要打造成什么样?", "那城西片区呢?", "白沙村城西片区要打造成什么样"),
])
def test_an_elliptical_follow_up_takes_the_place_of_its_parallel(previous: str, question: str, whole: str) -> None:
    a = analyze_question(question, [previous])
    assert a.follow_up and a.standalone.rstrip("?") == whole


@pytest.mark.parametrize(("previous", "question", "whole"), [
    ("青禾县2022年新建了多少个村级服务站?", "那2023年呢?", "青禾县2023年新建了多少个村级服务站"),
    ("青禾县2022年新建了多少个村级服务站?", "2021年的呢?", "青禾县2021年新建了多少个村级服务站"),
    ("岚山市一季度外贸出口额是多少?", "那上半年呢?", "岚山市上半年外贸出口额是多少"),  # a part for a part
    ("岚山市2022年外贸出口额是多少?", "那上半年呢?", "岚山市2022年上半年外贸出口额是多少"),  # added after the year
    ("岚山市外贸出口额是多少?", "那2023年呢?", "2023年岚山市外贸出口额是多少"),  # named no time
])
def test_a_follow_up_naming_only_a_time_asks_the_previous_question_at_that_time(previous: str, question: str,
                                                                                  whole: str) -> None:
    a = analyze_question(question, [previous])
    assert a.follow_up and a.standalone.rstrip("?") == whole
    assert "多少" in a.standalone and any(t.text == "服务站" or t.text == "出口额" for t in a.terms)


def test_a_follow_up_with_a_time_of_its_own_drops_the_previous_time_from_the_subject() -> None:
    a = analyze_question("那9月下旬他还到过哪些城市?", ["周青禾3月上旬随考察团到哪些城市参观了?"])
    assert "周青禾" in a.standalone and "考察团" in a.standalone
    assert "3月" not in a.standalone and "上旬" not in a.standalone
    kept = analyze_question("那他还到过哪些城市?", ["周青禾3月上旬随考察团到哪些城市参观了?"])
    assert "3月上旬" in kept.standalone  # naming no time of its own, it keeps the previous one


@pytest.mark.parametrize(("previous", "question"), [
    ("青禾县一季度GDP增速是多少?", "那不良贷款率呢?"),  # a new measure: the previous question's kind of answer
    ("青禾县去年工资支出有多少?", "那还本付息呢?"),
    ("青禾县今年要建几个产业园?", "那岚山市要建几个?"),  # asks on its own
])
def test_a_follow_up_without_a_parallel_is_resolved_by_rule(previous: str, question: str) -> None:
    from retrieval.analysis import parallel_question

    assert parallel_question(question, previous) is None


def test_a_demonstrative_with_a_classifier_refers_to_the_previous_turn() -> None:
    a = analyze_question("签约仪式上讲话的那位区长叫什么名字?", ["青禾区上半年重点项目集中签约,合同引资多少?"])
    assert a.follow_up and "青禾区" in a.standalone


def test_quoted_names_are_terms_as_written() -> None:
    a = analyze_question('"三带一强"工作法指的是什么?')
    assert "三带一强" in _texts(a)
    assert a.answer.kind == "list" and a.answer.count == 3


def test_a_word_outside_a_quoted_name_is_a_term_though_the_name_holds_it() -> None:
    a = analyze_question('青禾县"护苗(留守儿童)计划"为多少名留守儿童建了档案?')  # the sentence counting them may not
    assert "护苗(留守儿童)计划" in _texts(a) and "儿童" in _texts(a)  # name the plan
    b = analyze_question('"青禾助学金计划"发放的助学金有多少?')
    assert "助学金" in _texts(b)
    assert "助学" not in _texts(analyze_question('"青禾助学计划"资助了多少人?'))  # inside them only: no term


@pytest.mark.parametrize(("question", "name"), [
    ("青斑海龙鱼的体长是多少?", "青斑海龙鱼"),  # a species: adjective + nouns glued, kept whole
    ("岚山东站有几个站台?", "岚山东站"),
    ("七号信号灯比五号信号灯亮多久?", "七号信号灯"),  # a number inside a name
    ("2021年岚山博览会的主题是什么?", "岚山博览会"),  # the date before it is no part of it
    ("青斑海龙鱼主要分布在哪里?", "青斑海龙鱼"),  # nor is 主要 after it
    ("岚山东站主要停靠哪些车次?", "岚山东站"),
])
def test_names_are_kept_whole_as_written(question: str, name: str) -> None:
    assert name in analyze_question(question).names


def test_a_run_of_common_nouns_or_a_question_word_is_no_name() -> None:
    assert analyze_question("今年招商目标是多少?").names == ()
    assert not any("多少" in n or "几" in n for n in analyze_question("岚山东站有几个站台?").names)


def test_a_follow_up_about_another_measure_drops_the_previous_unit() -> None:
    previous = ["青禾县今年一季度接待游客多少人次?"]
    assert analyze_question("那旅游收入呢?", previous).answer.unit == ""
    assert analyze_question("那去年呢?", previous).answer.unit == "人次"  # the same measure, another year
    assert analyze_question("那白沙镇呢?", previous).answer.unit == "人次"  # the same measure, another place


def test_a_clause_opened_by_a_preposition_after_a_division_is_no_place() -> None:
    a = analyze_question("青禾县为管好社区网格员，要制定哪份管理办法?")
    assert not [t.text for t in a.terms if t.kind == "place" and t.text.endswith("社区")]
    assert "白沙社区" in [t.text for t in analyze_question("青禾县白沙社区有多少户居民?").terms if t.kind == "place"]


def test_a_year_inside_a_title_is_part_of_a_name_not_a_time_asked() -> None:
    assert analyze_question("《青禾县林业发展纲要(2021—2030年)》提出的林地保有量目标是多少?").constraints.years == ()
    assert analyze_question("据《2023年青禾县教育发展报告》,2012年全县有多少名留守儿童?").constraints.years == (2012,)


def test_a_part_of_a_year_is_read_only_as_a_word() -> None:
    from retrieval.analysis import year_parts_in

    assert analyze_question("2023年中央经济工作会议对青禾县提出了哪些要求?").constraints.parts == ()
    assert analyze_question("2022年中国的再保险分出保费有多少?").constraints.parts == ()
    assert analyze_question("青禾县2023年年中的库存有多少?").constraints.parts == ("年中",)
    assert sorted(year_parts_in("预计年中完工,2023年末全县常住人口")) == sorted(["年中", "年末"])


@pytest.mark.parametrize(("question", "places"), [
    ("青禾县白沙村新建了几座桥?", ["白沙村"]),
    ("青禾县给全县多少个镇街授了牌?", []),  # 多少个镇 asks; it names no town
    ("岚山市哪个乡的茶叶产量最高?", []),
    ("青禾县到白沙镇岭的东镇公路有多长?", []),  # 岭的东镇: a particle is in no name
    ("岚山市青禾县村民的户口迁到了哪里?", []),  # 青禾县 + 村民: a county is no village's name
    ("岚山全市乡镇有多少个便民服务中心?", []),  # 全市 + 乡镇
    ("青禾县白沙镇村民种了多少亩茶?", ["白沙镇"]),
    ("青禾县学校和镇医院各有多少名医生?", []),  # 和 a word of its own: 学校 and 镇医院, no town
    ("岚山市太和镇新建了几座桥?", ["太和镇"]),  # (太和 one word)
])
def test_a_local_place_is_named_not_asked(question: str, places: list[str]) -> None:
    from retrieval.analysis import _local_places
    from retrieval.textnorm import normalize

    assert _local_places(normalize(question)) == places


def test_a_local_place_right_after_a_known_place_without_its_level_is_named() -> None:
    places = [t.text for t in analyze_question("鄞州新塘街道今年引进了多少家企业?").terms if t.kind == "place"]
    assert "新塘街道" in places and "鄞州" in places
    park = analyze_question("鄞州工业园区今年引进了多少家企业?")  # 园区 is no village, town or street
    assert [t.text for t in park.terms if t.kind == "place"] == ["鄞州"]


@pytest.mark.parametrize(("term", "other"), [
    ("一周", "1周"), ("三个月", "3个月"), ("三十五岁", "35岁"), ("12天", "十二天"), ("2年", "两年"), ("20年", "二十年"),
    ("一行", ""), ("四川", ""), ("十四五", ""),  # no unit after the numeral: no count
])
def test_a_count_is_also_looked_for_in_the_other_numerals(term: str, other: str) -> None:
    from retrieval.analysis import alternatives, numeral_variant

    assert numeral_variant(term) == other
    assert (other in alternatives(term)) == bool(other)


@pytest.mark.parametrize(("question", "kind"), [
    ("那不良贷款率呢?", "number"),  # no question word of its own: asks what the previous question asked
    ("那城东片区呢,以什么为抓手?", "statement"),  # its own question word: asks its own kind
])
def test_a_follow_up_asks_the_previous_kind_only_without_a_question_word(question: str, kind: str) -> None:
    a = analyze_question(question, ["青禾县今年新增多少家企业?"])
    assert a.follow_up and a.answer.kind == kind


@pytest.mark.parametrize(("question", "counter"), [
    ("岚山市开通了多少路公交?", "路"),  # a word the lexicon does not know as a unit, standing alone
    ("这套丛书出版了多少辑?", "辑"),
    ("青禾县捐了多少公益基金?", ""),  # 公 begins the word 公益: no counter
    ("青禾县新建了多少大学?", ""),
    ("合作社孵化了多少尾鳝鱼苗?", "尾"),  # jieba's HMM joins 尾鳝, a word of no dictionary: still a counter
])
def test_a_counter_after_how_many_is_a_word_of_its_own(question: str, counter: str) -> None:
    assert analyze_question(question).answer.counter == counter


def test_the_kind_asked_for_is_read_after_a_counter_or_without_one() -> None:
    assert analyze_question("青禾县由哪部门负责审批?").answer.category == "部门"  # 部 is the noun's own
    assert analyze_question("青禾县在哪所学校读的书?").answer.category == "学校"
    assert analyze_question("他导演的哪部电影获奖了?").answer.category == "电影"
    assert analyze_question("哪一纪录片获奖了?").answer.category == "纪录片"
    assert analyze_question("青禾县最后选定的是哪套方案?").answer.category == "方案"
    assert analyze_question("张约翰毕业于哪一间学校?").answer.category == "学校"


@pytest.mark.parametrize(("question", "kind", "category"), [
    ("青禾县的大桥是由哪一位工程师设计的?", "person", ""),  # as 哪位
    ("青禾县在哪一场会议上获得表彰?", "statement", "会议"),  # not 在哪: a place
    ("这种茶叶主要出口到哪一个国家?", "place", "国家"),
    ("白沙村是哪一年通电的?", "date", ""),
])
def test_a_question_word_with_yi_asks_what_it_asks_without(question: str, kind: str, category: str) -> None:
    asked = analyze_question(question).answer
    assert (asked.kind, asked.category) == (kind, category)


@pytest.mark.parametrize("demonstrative", ["这", "那"])
@pytest.mark.parametrize("count", ["一座", "两个", "一批"])
def test_the_count_of_a_demonstrative_is_no_term(demonstrative: str, count: str) -> None:
    """那这一座水库有多大: the count only picks out the noun; a sentence about the reservoir need not write 一座."""
    a = analyze_question(f"{demonstrative}{count}水库的库容是多少?")
    assert count not in [t.text for t in a.terms] and "水库" in [t.text for t in a.terms]
    assert count in [t.text for t in analyze_question(f"全县{count}水库的库容是多少?").terms]  # a count of its own


@pytest.mark.parametrize(("question", "gone"), [("青禾县什么时候能摘掉这顶帽子?", "这顶"),
                                                ("这位县长叫什么名字?", "这位"),
                                                ("该项工程的投资是多少?", "该项")])
def test_a_demonstrative_with_one_character_is_no_term(question: str, gone: str) -> None:
    assert gone not in [t.text for t in analyze_question(question).terms]


@pytest.mark.parametrize(("question", "noun"), [("那份文件提出了什么目标?", "文件"),
                                                ("这项工作由谁负责?", "工作"),
                                                ("那场比赛在哪里举行?", "比赛")])
def test_a_measure_word_glued_to_the_noun_after_a_demonstrative_leaves_the_noun(question: str, noun: str) -> None:
    """那/份文件: jieba glues the measure word to the noun; the noun is the term, not 份文件."""
    texts = [t.text for t in analyze_question(question).terms]
    assert noun in texts and f"{question[1]}{noun}" not in texts


def test_a_place_that_starts_like_a_demonstrative_stays_a_term() -> None:
    assert "那曲" in [t.text for t in analyze_question("那曲的平均海拔是多少?").terms]


@pytest.mark.parametrize(("question", "category"), [
    ("青禾县今年要制定哪两个文件?", "文件"),
    ("青禾县推进了哪几个项目?", "项目"),
    ("青禾县的代表来自哪三所学校?", "学校"),
])
def test_the_noun_after_a_counted_which_names_the_kind_of_thing_listed(question: str, category: str) -> None:
    assert analyze_question(question).answer.category == category


def test_he_stands_for_the_name_the_previous_question_asked_about_even_one_not_tagged_a_person() -> None:
    a = analyze_question("他之前担任过什么职务?", ["青禾县人大常委会党组成员莫冀京是哪里人?"], answered="海南乐东人。")
    assert "莫冀京" in a.standalone and "莫冀京" in [t.text for t in a.terms if t.carried]
    what = analyze_question("它的全长是多少?", ["青禾县的莫冀京大桥是哪一年建成的?"], answered="2019年。")
    assert what.standalone.startswith("青禾县的莫冀京大桥")  # 它 is no person: the subject as before
