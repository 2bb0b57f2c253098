"""Features of the answerer's two models that check a name as written, and how far the best document stands out
(made-up passages)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.features import _gap, _names, _title, shared_run
from retrieval.analysis import analyze_question
from retrieval.lexicon import lexicon
from retrieval.models import Chunk, DocumentMeta, Hit, Scores
from retrieval.textnorm import normalize

LEX = lexicon()


def test_shared_run_is_the_longest_piece_of_a_name_found_as_written() -> None:
    assert shared_run("青斑海龙鱼", "青斑海龙鱼体长可达30厘米") == 1.0
    assert shared_run("青斑海龙鱼", "红斑海龙鱼体长可达30厘米") == 0.8  # 斑海龙鱼: another fish
    assert shared_run("青斑海龙鱼", "今年粮食增产") == 0.0


def test_a_passage_about_another_name_holds_only_part_of_it() -> None:
    a = analyze_question("青斑海龙鱼的体长是多少?")
    assert _names(a, "青斑海龙鱼体长可达30厘米")["name_whole"] == 1.0
    other = _names(a, "红斑海龙鱼体长可达30厘米")
    assert other["name_whole"] == 0.0 and 0 < other["name_passage"] < 1
    assert _names(analyze_question("今年招商目标是多少?"), "招商目标")["has_name"] == 0.0


def test_a_document_titled_by_the_questions_subject_holds_it_in_its_title() -> None:
    a = analyze_question("青斑海龙鱼分布在哪里?")
    own = _title(a, "青斑海龙鱼", None)
    assert own["title_name"] == 1.0 and 0 < own["title_cov"] < 1  # the name, not what is asked of it
    other = _title(a, "红斑海龙鱼", None)
    assert other["title_name"] == 0.0 and other["title_cov"] < own["title_cov"]
    assert _title(a, "", None) == {"title_cov": 0.0, "title_name": 0.0, "title_run": 0.0}
    assert _title(a, "青斑海龍魚", None)["title_name"] == 1.0  # a title in traditional script is read as simplified
    assert _title(analyze_question("今年招商目标是多少?"), "全市招商工作会议讲话", None)["title_name"] == 0.0


def test_the_title_run_reads_characters_so_it_holds_for_a_name_the_tagger_cuts_apart() -> None:
    a = analyze_question("青禾县青斑海龙鱼的体长是多少?")
    assert _title(a, "青斑海龙鱼", None)["title_run"] == 1.0
    assert _title(a, "红斑海龙鱼", None)["title_run"] == pytest.approx(4 / 5)  # 斑海龙鱼 of another species
    assert _title(a, "海龙鱼科", None)["title_run"] == pytest.approx(3 / 4)
    assert _title(a, "青斑海龙鱼 (鱼类)", None)["title_run"] == 1.0  # the qualifier in brackets is not the name
    assert _title(a, "全市招商工作会议讲话", None)["title_run"] == 0.0
    assert _title(a, "青斑海龍魚", None)["title_run"] == 1.0  # traditional script


def _hit(doc: str, fused: float) -> Hit:
    chunk = Chunk(chunk_id=0, doc_id=doc, ordinal=0, heading="", start=0, end=1, text="x", norm="x")
    return Hit(chunk=chunk, meta=DocumentMeta(title=doc), score=fused, scores=Scores(fused=fused, rerank=fused))


def test_the_gap_is_to_the_best_passage_of_another_document() -> None:
    # two passages of one document come first: the gap is to the other document, a quarter of the best
    assert _gap([_hit("a", 0.8), _hit("a", 0.7), _hit("b", 0.6)], "fused") == pytest.approx(0.25)
    assert _gap([_hit("a", 0.5), _hit("b", 0.5)], "fused") == 0.0
    assert _gap([_hit("a", 0.5)], "fused") == 1.0
    assert _gap([], "fused") == 0.0


def test_a_part_of_a_year_in_the_documents_title_holds_for_its_sentences() -> None:
    from bot.features import _time
    from retrieval.rerank import context_of

    a = analyze_question("青禾县上半年的财政收入是多少?")
    assert a.constraints.parts == ("上半年",)
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=3, heading="", start=0, end=1, text="x", norm="财政收入完成12亿元。")
    dated = dt.date(2023, 10, 9)
    titled = Hit(chunk=chunk, meta=DocumentMeta(title="青禾县2023年上半年经济运行情况", date=dated), score=1.0,
                 scores=Scores())
    untitled = Hit(chunk=chunk, meta=DocumentMeta(title="青禾县经济运行情况", date=dated), score=1.0, scores=Scores())
    assert _time(a, "财政收入完成12亿元。", titled, context_of(titled.meta))["part_ok"] == 1.0
    assert _time(a, "财政收入完成12亿元。", untitled, context_of(untitled.meta))["part_ok"] == 0.0
    assert _time(a, "全年财政收入完成25亿元。", titled, context_of(titled.meta))["part_conflict"] == 1.0


def test_a_document_of_no_known_date_is_not_of_another_part_of_a_year() -> None:
    from bot.features import _time
    from retrieval.rerank import context_of

    a = analyze_question("青禾县上半年的财政收入是多少?")
    undated = DocumentMeta(title="青禾县经济运行情况")

    def part_ok(sentence: str, passage: str) -> float:
        chunk = Chunk(chunk_id=0, doc_id="d", ordinal=3, heading="", start=0, end=1, text="x", norm=passage)
        return _time(a, sentence, Hit(chunk=chunk, meta=undated, score=1.0, scores=Scores()), context_of(undated))[
            "part_ok"]

    assert part_ok("财政收入完成12亿元。", "财政收入完成12亿元。") == 1.0  # of a part nobody can tell, not another
    assert part_ok("财政收入完成12亿元。", "全年财政收入完成25亿元。财政收入完成12亿元。") == 0.0  # its passage's part
    assert part_ok("全年财政收入完成25亿元。", "全年财政收入完成25亿元。") == 0.0


def test_a_document_of_no_known_year_is_not_of_another_year() -> None:
    from bot.features import _time

    a = analyze_question("2023年青禾县夏粮总产是多少?")
    assert a.constraints.years == (2023,)

    def year_ok(passage: str, year: int | None) -> float:
        chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=1, text=passage, norm=passage)
        hit = Hit(chunk=chunk, meta=DocumentMeta(title="青禾县夏粮丰收", year=year), score=1.0, scores=Scores())
        return _time(a, "夏粮总产12.5万吨。", hit, "")["year_ok"]

    assert year_ok("今年青禾县夏粮丰收。夏粮总产12.5万吨。", None) == 1.0  # undated: nothing says otherwise
    assert year_ok("2022年青禾县夏粮丰收。夏粮总产12.5万吨。", None) == 0.0  # its passage is of another year
    assert year_ok("夏粮总产12.5万吨。", 2022) == 0.0  # its document is of another year
    assert year_ok("夏粮总产12.5万吨。", 2023) == 1.0


def test_a_sentence_saying_this_year_in_a_document_of_no_known_year_does_not_show_the_year_asked() -> None:
    from bot.features import _time

    a = analyze_question("2021年青禾县夏粮总产是多少?")

    def year_ok(sentence: str, year: int | None, passage: str = "") -> float:
        passage = passage or sentence
        chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=1, text=passage, norm=passage)
        hit = Hit(chunk=chunk, meta=DocumentMeta(title="青禾县夏粮丰收", year=year), score=1.0, scores=Scores())
        return _time(a, sentence, hit, "")["year_ok"]

    for word in ("今年", "去年", "前年"):
        assert year_ok(f"{word}青禾县夏粮总产12.5万吨。", None) == 0.0  # of a year nobody can tell
    assert year_ok("今年青禾县夏粮总产12.5万吨。", None, "2021年全县粮食丰收。今年青禾县夏粮总产12.5万吨。") == 1.0
    assert year_ok("今年青禾县夏粮总产12.5万吨。", 2021) == 1.0  # the document's year says which
    assert year_ok("青禾县夏粮总产12.5万吨。", None) == 1.0  # nothing says otherwise


def test_a_place_carried_from_the_previous_question_must_stand_in_the_passage() -> None:
    from bot.features import _place_ok

    a = analyze_question("那它减少了多少浪费?", ["岚山市的旧衣回收项目惠及了多少人?"])
    assert any(t.kind == "place" and t.carried for t in a.terms)
    sentence = "项目减少浪费约30吨。"
    assert _place_ok(a, sentence, "", "岚山市旧衣回收项目启动三年。" + sentence) == 1.0  # not repeated in the sentence
    assert _place_ok(a, sentence, "", "邻国的慈善组织发起旧衣共享。" + sentence) == 0.0  # a report about elsewhere


def test_a_place_the_document_names_elsewhere_holds_for_a_sentence_naming_no_other_place() -> None:
    from bot.features import _place_ok

    a = analyze_question("温州市白沙镇恒东合作社孵化了多少尾鱼苗?")
    assert {t.text for t in a.terms if t.kind == "place"} >= {"白沙镇"}
    context = "温州 浙江"  # the document's own places: the town is not among them
    sentence = "合作社已孵化鱼苗1000万尾。"
    lead = "温州市白沙镇的合作社负责人介绍了育苗情况。"
    assert _place_ok(a, sentence, context, lead + sentence) == 1.0  # the report set its scene once
    assert _place_ok(a, sentence, context, "合作社负责人介绍了育苗情况。" + sentence) == 0.0  # never names it
    elsewhere = "杭州的合作社已孵化鱼苗1000万尾。"
    assert _place_ok(a, elsewhere, context, lead + elsewhere) == 0.0  # the sentence is about another place


def test_a_documents_own_place_does_not_hold_for_a_sentence_naming_another_of_its_level() -> None:
    from bot.features import _place_ok

    a = analyze_question("双峰县新任县长是谁?")
    context = "双峰县 新化县 县长调整"  # a round-up: the title names both counties
    assert _place_ok(a, "周明远同志任新化县县长。", context, "") == 0.0
    assert _place_ok(a, "林海川同志任双峰县县长。", context, "") == 1.0
    assert _place_ok(a, "会议宣布了任职决定。", context, "") == 1.0  # names no other county
    assert _place_ok(a, "湖南省委宣布了任职决定。", context, "") == 1.0  # a province is not a rival county
    assert _place_ok(a, "双峰县与新化县签订协作协议。", context, "") == 1.0  # names the asked one too
    where = analyze_question("双峰县的茶农该向哪个县学习?")  # the answer is another county
    assert _place_ok(where, "茶农要向新化县学习。", "双峰县", "") == 1.0
    team = analyze_question("双峰县医疗队去了娄底的哪几个县?")  # counties of the city it asks within answer
    assert _place_ok(team, "医疗队此次奔赴新化、涟源、冷水江市义诊。", context, "") == 1.0
    assert _place_ok(team, "医疗队此次奔赴宁乡、浏阳市义诊。", context, "") == 0.0  # counties of another city
    both = analyze_question("双峰县和新化县今年共建了几个产业园?")
    assert _place_ok(both, "新化县今年建成产业园3个。", "双峰县 新化县", "") == 1.0  # one of the question's own


def test_a_city_the_document_names_only_in_a_list_sets_no_scene() -> None:
    from bot.features import _place_ok

    a = analyze_question("杭州今年新设了多少个招商联络处?")
    sentence = "今年新设招商联络处4个。"
    assert _place_ok(a, sentence, "", "云岭市在上海、杭州、广州设立招商联络处。" + sentence) == 0.0
    assert _place_ok(a, sentence, "", "杭州市商务局介绍了招商情况。" + sentence) == 1.0


def test_the_paper_that_published_a_report_places_it() -> None:
    from bot.features import _place_ok
    from retrieval.models import DocumentMeta
    from retrieval.rerank import context_of

    a = analyze_question("江西省长在会上要求各地把什么放在首位?")
    sentence = "他要求各地把群众生命安全放在首位。"
    paper = context_of(DocumentMeta(title="省长主持召开防汛会议", source="江西日报"))
    national = context_of(DocumentMeta(title="省长主持召开防汛会议", source="光明日报"))
    assert _place_ok(a, sentence, paper, sentence) == 1.0
    assert _place_ok(a, sentence, national, sentence) == 0.0


def test_places_the_question_lists_are_the_scene_of_a_report_that_lists_them() -> None:
    """甲、乙两县…一共: the question names a group the report lists once and then calls 两县; the list is its scene."""
    from bot.features import _place_ok

    a = analyze_question("青田、缙云两县今年一共新建了多少座水库?")
    assert all(t.listed for t in a.terms if t.kind == "place")
    sentence = "两县今年共新建水库6座。"
    assert _place_ok(a, sentence, "", "丽水市在青田、缙云两县推进水利建设。" + sentence) == 1.0
    alone = analyze_question("缙云县今年新建了多少座水库?")  # one of them asked alone: the list is no scene
    assert _place_ok(alone, sentence, "", "丽水市在青田、缙云两县推进水利建设。" + sentence) == 0.0


def test_the_innermost_place_a_question_names_decides_for_the_places_around_it() -> None:
    from bot.features import _place_ok
    from retrieval.analysis import _inner_place

    a = analyze_question("鄞州新塘街道今年引进了多少家企业?")
    outer = next(t for t in a.terms if t.text == "鄞州")
    assert _inner_place(a.norm, a.terms, outer) is not None and _inner_place(a.norm, a.terms, outer).text == "新塘街道"
    assert outer.nested and not next(t for t in a.terms if t.text == "新塘街道").nested
    sentence = "新塘街道今年引进企业12家。"  # a report on the street that never names its district
    assert _place_ok(a, sentence, "", sentence) == 1.0
    other = "北干街道今年引进企业12家。"
    assert _place_ok(a, other, "", other) == 0.0  # another street: the inner place is not there
    apart = analyze_question("鄞州今年在新塘街道引进了多少家企业?")  # not written one inside the other
    assert _inner_place(apart.norm, apart.terms, next(t for t in apart.terms if t.text == "鄞州")) is None


def test_a_place_the_question_lists_may_be_answered_from_a_list() -> None:
    """宁波、温州以及哪个城市: the question asks for the rest of a list, so a sentence listing its places answers;
    a question naming one place is not answered by a sentence listing it among others."""
    from bot.features import _place_ok

    sentence = normalize("全省的集装箱港口有宁波、温州、台州、嘉兴等。")
    listed = analyze_question("宁波、温州以及哪个城市有集装箱港口?")
    places = [t for t in listed.terms if t.kind == "place"]
    assert [t.text for t in places] == ["宁波", "温州"] and all(t.listed for t in places)
    assert _place_ok(listed, sentence, "", sentence) == 1.0
    alone = analyze_question("温州有多少个集装箱泊位?")
    assert not any(t.listed for t in alone.terms)
    assert _place_ok(alone, sentence, "", sentence) == 0.0


def test_a_place_right_after_a_joiner_in_the_question_is_one_of_its_own_list() -> None:
    """浙江救援队和温州队: the question writes its own list of teams named after places, so a sentence listing them
    with 、 among other places answers it; the same place asked alone is still not answered from a list."""
    from bot.features import _place_ok

    sentence = normalize("当天,浙江救援队、温州队协同作业,在台州椒江城区转移群众1200人。")
    joined = analyze_question("浙江救援队和温州队在台州一共转移了多少群众?")
    assert any(t.text == "温州" and t.listed for t in joined.terms)
    assert _place_ok(joined, sentence, "", sentence) == 1.0
    alone = analyze_question("温州队在台州一共转移了多少群众?")
    assert _place_ok(alone, sentence, "", sentence) == 0.0


def _passage(norm: str) -> Hit:
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=len(norm), text=norm, norm=norm)
    return Hit(chunk=chunk, meta=DocumentMeta(title="d"), score=1.0, scores=Scores(fused=1.0, rerank=1.0))


def test_a_role_holder_stands_on_the_roles_side_of_a_colon_where_the_sentence_names_it() -> None:
    from bot.features import Sentence, features

    a = analyze_question("白沙镇的镇长叫什么名字?")
    assert a.constraints.role == "镇长"

    def role_ok(norm: str, window: str = "") -> float:
        sentence = Sentence(hit=0, start=0, end=len(norm), norm=norm, window=window or norm, leads=False)
        return features(a, sentence, _passage(norm), 0, "")["role_ok"]

    assert role_ok("白沙镇镇长周明远介绍了情况。") == 1.0
    assert role_ok("周明远镇长介绍了情况。") == 1.0
    assert role_ok("周明远时任白沙镇镇长,负责全面工作。") == 1.0
    assert role_ok("周明远在白沙镇工作多年,次年当选为白沙镇镇长;") == 1.0  # the subject dropped after a comma
    assert role_ok("镇长:道路年底通车,记者联系了村民周明远。") == 0.0  # a name past the colon, not the role's
    assert role_ok("周明远介绍了情况。", "会上镇长作了部署。周明远介绍了情况。") == 1.0  # the role beside the sentence


def test_a_match_without_a_span_of_the_asked_kind_is_read_apart() -> None:
    from bot.candidates import candidates
    from bot.features import UNTYPED

    a = analyze_question("青禾县去年的粮食总产是多少?")
    rows = {c.norm: c.features for c in candidates(a, [_passage("青禾县粮食总产再创新高。去年粮食总产达到41万吨。")])}
    plain, typed = rows["青禾县粮食总产再创新高。"], rows["去年粮食总产达到41万吨。"]
    assert typed["typed"] == 1.0 and all(typed[f"untyped_{k}"] == 0.0 for k in UNTYPED)
    assert plain["typed"] == 0.0 and all(plain[f"untyped_{k}"] == plain[k] for k in UNTYPED)
    assert plain["untyped_focus"] > 0


def test_each_candidate_knows_how_far_it_stays_below_the_best_of_its_question() -> None:
    from bot.features import BEHIND, behind

    rows = behind([{k: 0.2 for k in BEHIND}, {k: 0.9 for k in BEHIND}, {k: 0.5 for k in BEHIND}])
    assert [r["behind_cov_sentence"] for r in rows] == pytest.approx([0.7, 0.0, 0.4])
    assert all(r["behind_fused"] >= 0 for r in rows)
    assert behind([]) == []


def test_candidates_carry_every_feature_the_scorer_reads() -> None:
    from bot.candidates import candidates
    from bot.features import FEATURES

    a = analyze_question("青禾县的市长是谁?")
    for c in candidates(a, [_passage("青禾县市长林海川出席会议。会议由县委办公室主持。")]):
        assert set(FEATURES) <= set(c.features)
        assert all(0.0 <= c.features[k] <= 1.0 for k in FEATURES), c.norm


def test_a_sentence_naming_no_date_near_it_does_not_answer_which_year() -> None:
    from bot.candidates import candidates
    from bot.extractive import admissible

    a = analyze_question("青禾县农博会是哪一年创办的?")
    text = "青禾县农博会由县政府主办。农博会创办以来影响日广。农博会每年秋季举行。"
    undated = {c.norm: c.features["undated"] for c in candidates(a, [_passage(normalize(text))])}
    assert undated[normalize("农博会创办以来影响日广。")] == 1.0
    dated = "青禾县农博会由县政府主办。2008年,县里决定举办农博会。农博会创办以来影响日广。"
    for c in candidates(a, [_passage(normalize(dated))]):
        assert c.features["undated"] == 0.0  # the year stands in it or beside it
    assert not any(admissible(c) for c in candidates(a, [_passage(normalize(text))]) if c.features["undated"])
    when = analyze_question("青禾县农博会什么时候举行?")  # no part of a date asked: any sentence may tell
    assert all(c.features["undated"] == 0.0 for c in candidates(when, [_passage(normalize(text))]))


def _report_candidates(norm: str, measured: set[int]) -> tuple[list[Hit], list]:
    from bot.candidates import Candidate, sentences_of

    hits = [_passage(norm)]
    found = sentences_of(hits)
    return hits, [Candidate(s, {"measure_ok": float(i in measured)}, s.norm) for i, s in enumerate(found)]


def test_a_list_announced_by_the_best_sentence_is_taken_from_the_sentence_of_its_report_that_lists_it() -> None:
    """带着捐赠物资出发 announces the list; the report's sentence listing the goods beside the asked measure answers,
    not sentences that merely open alike (同时, …) or say more about the subject (红十字会是…, 红十字会的…)."""
    from bot.extractive import list_items
    from bot.scoring import load_scoring

    report = normalize("青禾县红十字会带着捐赠物资奔赴白沙镇。红十字会是去年成立的志愿组织,由医生、司机、厨师组成。"
                       "红十字会的会员多来自县城。同时,县里启动了应急调查。同时,县里还筹措了应急粮源。"
                       "截至目前,已向白沙镇捐赠大米4000斤、面粉1500斤、豆油800斤。")
    a = analyze_question("青禾县红十字会向白沙镇捐了哪些物资?")
    hits, found = _report_candidates(report, measured={0, 5})
    items = list_items(a, found[0], hits, load_scoring(), [found[0], found[1], found[5]])
    assert [c.norm for c in items] == [found[5].norm]
    parallel = normalize("年终岁尾要抓好三件事。要抓好项目,扩投资。要抓好民生,兜底线。要抓好稳定,防风险。")
    b = analyze_question("年终岁尾要抓好哪三件事?")
    hits, found = _report_candidates(parallel, measured=set())
    assert len(list_items(b, found[0], hits, load_scoring(), found)) == 3  # items written in parallel still count


def test_a_sentence_announcing_items_and_cut_at_a_semicolon_goes_on_to_its_end() -> None:
    from bot.extractive import _clauses_after
    from bot.scoring import load_scoring

    report = normalize("青禾县今后五年的重点已经明确:第一,稳住粮食生产;第二,壮大茶叶产业;第三,办好农博会。"
                       "县里还将举办农博会。")
    hits, found = _report_candidates(report, measured=set())
    assert [c.norm for c in _clauses_after(found[0], hits, load_scoring())] == [found[1].norm, found[2].norm]
    plain = normalize("青禾县今年粮食增产;县里还将举办农博会。")  # no colon: it announces nothing
    hits, found = _report_candidates(plain, measured=set())
    assert _clauses_after(found[0], hits, load_scoring()) == []


def test_a_list_question_without_items_quotes_a_second_sentence_scoring_nearly_as_well() -> None:
    """No items after the best sentence: a list question is answered as any other, the best sentence and a second
    one scoring nearly as well (second_ratio), of whichever document; none below that share."""
    from bot.candidates import Candidate, sentences_of
    from bot.extractive import ExtractiveAnswerer
    from bot.scoring import load_scoring

    def doc(doc_id: str, norm: str) -> Hit:
        chunk = Chunk(chunk_id=0, doc_id=doc_id, ordinal=0, heading="", start=0, end=len(norm), text=norm, norm=norm)
        return Hit(chunk=chunk, meta=DocumentMeta(title=doc_id), score=1.0, scores=Scores(fused=1.0, rerank=1.0))

    hits = [doc("a", normalize("青禾县种植了青斑海龙草。县里还建了育苗基地。")),
            doc("b", normalize("白沙镇也种植了青斑海龙草。"))]
    found = sentences_of(hits)
    assert [s.hit for s in found] == [0, 0, 1]
    answerer = ExtractiveAnswerer(load_scoring())
    a = analyze_question("哪些地方种植了青斑海龙草?")
    assert a.answer.kind == "list"
    allowed = [Candidate(sent, {}, sent.norm, choice=c) for sent, c in zip(found, (0.9, 0.8, 0.7), strict=True)]
    assert [c.norm for c in answerer._pick(a, allowed, hits)] == [found[0].norm, found[1].norm]
    weak = [Candidate(sent, {}, sent.norm, choice=c) for sent, c in zip(found, (0.9, 0.2, 0.1), strict=True)]
    assert [c.norm for c in answerer._pick(a, weak, hits)] == [found[0].norm]


def test_an_amount_asked_of_a_measure_before_its_change_words_is_no_answer_from_another_measure() -> None:
    from bot.features import _measure_conflict

    a = analyze_question("青禾县一季度规上工业增加值同比增长了多少?")
    assert _measure_conflict(a, normalize("一季度全县生产总值同比增长8.5%。")) == 1.0
    assert _measure_conflict(a, normalize("一季度全县规上工业增加值同比增长9.2%。")) == 0.0
    why = analyze_question("为什么青禾县的耕地面积去年减少了?")  # no amount asked: nothing to conflict with
    assert _measure_conflict(why, normalize("去年青禾县大量耕地被征用于建设产业园。")) == 0.0


@pytest.mark.parametrize("verb", LEX.change_verbs)
@pytest.mark.parametrize("comparison", ("", *LEX.change_comparisons))
def test_a_change_asked_of_a_measure_the_lexicon_does_not_know_needs_that_measure_named(verb: str,
                                                                                      comparison: str) -> None:
    from bot.features import _measure_conflict

    a = analyze_question(f"青禾县今年一季度的快递业务量{comparison}{verb}了多少?")
    assert _measure_conflict(a, normalize(f"一季度全县生产总值{comparison}{verb}8.5%。")) == 1.0
    assert _measure_conflict(a, normalize(f"一季度全县快递业务量{comparison}{verb}12.3%。")) == 0.0
    assert _measure_conflict(a, normalize(f"一季度全县邮政业务量{comparison}{verb}12.3%。")) == 0.0  # its head noun
    # the question word asks the amount of what follows it, or the change word is part of a name: no change asked
    follows = analyze_question(f"青禾县的公益项目{verb}多少食物浪费?")
    assert _measure_conflict(follows, normalize(f"青禾县通过光盘行动{verb}食物浪费12吨。")) == 0.0
    named = analyze_question(f"青禾县参加能力{verb}培训的干部比例达到了多少?")
    assert _measure_conflict(named, normalize("青禾县参训干部比例达到95%。")) == 0.0


def test_a_changed_measure_named_only_in_a_clause_beside_another_measures_figure_has_no_figure() -> None:
    from bot.features import _measure_conflict

    a = analyze_question("青禾县去年的企业研发费用增长了多少?")
    assert _measure_conflict(a, normalize("青禾县企业研发费用稳步提高,全县农业产值增长6%。")) == 1.0
    assert _measure_conflict(a, normalize("青禾县企业研发费用稳步提高,同比增长13%。")) == 0.0  # a clause naming none
    assert _measure_conflict(a, normalize("全县农业产值增长6%,研发费用同比增长13%。")) == 0.0
    b = analyze_question("青禾县今年一季度的快递业务量同比增长了多少?")
    assert _measure_conflict(b, normalize("一季度全县快递业务量1.2亿件,同比增长12.3%。")) == 0.0  # carried subject
    assert _measure_conflict(b, normalize("一季度全县生产总值120亿元,同比增长8.5%。")) == 1.0  # not named at all


def test_a_month_asked_alone_conflicts_with_a_sentence_giving_other_months() -> None:
    from bot.features import _day_conflict

    a = analyze_question("青禾县的普惠贷款余额今年3月末是多少?")
    assert _day_conflict(a, normalize("6月末全县普惠贷款余额为5亿元。")) == 1.0
    assert _day_conflict(a, normalize("截至6月30日，全县普惠贷款余额为5亿元。")) == 1.0
    assert _day_conflict(a, normalize("3月末全县普惠贷款余额为2亿元，6月末为5亿元。")) == 0.0
    assert _day_conflict(a, normalize("1-6月全县累计发放普惠贷款5亿元。")) == 0.0  # the months between count
    assert _day_conflict(a, normalize("前6个月全县累计发放普惠贷款5亿元。")) == 0.0  # a span, no month
    assert _day_conflict(a, normalize("全县普惠贷款余额为5亿元。")) == 0.0


@pytest.mark.parametrize("mark", LEX.baseline_before)
def test_a_month_compared_against_is_not_the_month_a_sentence_tells_of(mark: str) -> None:
    from bot.features import _day_conflict

    a = analyze_question("青禾县7月的二手房均价是多少?")
    assert _day_conflict(a, normalize(f"全县二手房均价为8650元/平方米,涨幅{mark}5月回落0.3个百分点。")) == 0.0
    assert _day_conflict(a, normalize(f"6月全县二手房均价为8700元/平方米,{mark}5月下跌0.1%。")) == 1.0
    b = analyze_question("青禾县8月16日开工的项目有几个?")
    assert _day_conflict(b, normalize(f"全县开工项目12个,{mark}8月1日增加3个。")) == 0.0


def test_a_word_naming_only_an_amount_is_given_only_for_what_the_question_writes_before_it() -> None:
    from bot.features import _measure_conflict

    a = analyze_question("青禾县今年新增集中供热面积多少万平方米?")
    assert _measure_conflict(a, normalize("今年新建标准厂房200万平方米。")) == 1.0
    assert _measure_conflict(a, normalize("今年新增集中供热200万平方米。")) == 0.0


def test_a_sentence_naming_no_year_is_of_the_year_its_passage_names_relative_to_the_document() -> None:
    from bot.features import _time

    a = analyze_question("青禾县去年开展了什么活动来谋划大项目?")

    def year_ok(passage: str) -> float:
        chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=1, text=passage, norm=passage)
        hit = Hit(chunk=chunk, meta=DocumentMeta(title="青禾县经济工作会议讲话", year=2021), score=1.0, scores=Scores())
        return _time(a, "扎实开展大抓项目活动，谋划了一批大项目。", hit, "")["year_ok"]

    assert year_ok("过去的一年，全县扎实开展大抓项目活动，谋划了一批大项目。") == 1.0  # 2020, the year asked
    assert year_ok("今年，全县扎实开展大抓项目活动，谋划了一批大项目。") == 0.0  # 2021
    assert year_ok("全县扎实开展大抓项目活动，谋划了一批大项目。") == 0.0  # the document's year, 2021


def test_a_question_asking_a_date_is_not_dated_against_the_days_a_sentence_answers_with() -> None:
    from bot.features import _day_conflict

    a = analyze_question("青禾县人大常委会6月12日通过的《青禾县河道管理办法》从哪天起施行?")
    sentence = normalize("会议通过了《青禾县河道管理办法》，自2024年9月1日起施行。")
    assert _day_conflict(a, sentence) == 0.0
    assert _day_conflict(a, sentence, normalize("6月10日，青禾县人大常委会召开会议。")) == 0.0
    who = analyze_question("青禾县人大常委会6月12日的会议是谁主持的?")  # not a date asked: still dated
    assert _day_conflict(who, normalize("6月10日，会议由主任周明远主持。")) == 1.0


def test_items_opening_with_quoted_names_right_after_the_best_sentence_are_its_items() -> None:
    """The best sentence names three levels (县、乡、村) the question names too; the quoted names that open the next
    sentences are what was set up at each."""
    from bot.extractive import list_items
    from bot.scoring import load_scoring

    report = normalize('青禾县在县、乡、村三个层面各设一个服务平台。"县级服务大厅",集中办理审批事项;'
                       '"乡镇便民中心",就近受理群众诉求;"村级代办点",帮助老人代办业务。全县群众满意度明显提升。')
    a = analyze_question("青禾县在县、乡、村三个层面分别设了哪几个服务平台?")
    hits, found = _report_candidates(report, measured=set())
    items = list_items(a, found[0], hits, load_scoring(), found)
    assert [c.norm[:8] for c in items] == ['"县级服务大厅"', '"乡镇便民中心"', '"村级代办点",']
    lone = normalize('青禾县设了服务平台。"县级服务大厅"集中办理审批事项。全县群众满意度明显提升。')
    hits, found = _report_candidates(lone, measured=set())
    assert list_items(a, found[0], hits, load_scoring(), found) == []  # one quoted name is no list


def test_a_marked_heading_is_answered_by_the_listing_sentence_after_it_the_scorer_ranks_highest() -> None:
    """三要… is a heading: of the two sentences after it that list, the one the sentence scorer ranks higher (it
    repeats the heading's words) holds its items, not the first (two examples named before it) nor one elsewhere."""
    from bot.extractive import list_items
    from bot.scoring import load_scoring

    report = normalize("三要用心办好民生实事。饮水、道路、路灯等工作,是群众天天挂在心上的事。必须用心办好饮水安全、"
                       "道路养护、路灯维修等实事。全县还要推进农房改造、河道清淤、村庄绿化。")
    a = analyze_question("青禾县今年要用心办好的民生实事有哪些?")
    hits, found = _report_candidates(report, measured={3})
    items = list_items(a, found[0], hits, load_scoring(), [found[0], found[2], found[1], found[3]])
    assert [c.norm for c in items] == [found[2].norm]
    plain = normalize("全县要办好民生实事。饮水、道路、路灯等工作,是群众天天挂在心上的事。必须办好饮水安全、道路养护、"
                      "路灯维修等实事。")
    hits, found = _report_candidates(plain, measured=set())
    first = list_items(a, found[0], hits, load_scoring(), [found[0], found[2], found[1]])
    assert [c.norm for c in first] == [found[1].norm]  # no heading: the next sentence that lists, as before


def test_marked_items_that_go_on_with_another_list_are_not_the_best_sentences_items() -> None:
    from bot.extractive import list_items
    from bot.scoring import load_scoring

    a = analyze_question("青禾县重点培育的四大产业是哪四个?")
    report = normalize("一要抓好工业强镇。工业强镇要围绕四大产业培育,力争全年投资50亿元。"
                       "二要建好园区平台。三要优化营商环境。")
    hits, found = _report_candidates(report, measured=set())
    assert list_items(a, found[1], hits, load_scoring(), found) == []  # 二要 goes on from 一要, not from it
    own = normalize("青禾县要抓好三件事。一要抓好工业强镇。二要建好园区平台。三要优化营商环境。")
    hits, found = _report_candidates(own, measured=set())
    assert len(list_items(a, found[0], hits, load_scoring(), found)) == 3  # numbered from one: its own items
    going_on = normalize("一要抓好工业强镇。二要建好园区平台。三要优化营商环境。")
    hits, found = _report_candidates(going_on, measured=set())
    assert len(list_items(a, found[0], hits, load_scoring(), found)) == 2  # the best item 一要, then 二要, 三要


def test_a_sentence_opening_with_a_demonstrative_names_what_the_sentence_before_names() -> None:
    """「该系列丛书共8本」 points back to the 《青禾文史丛书》 of the sentence before: it covers the asked title."""
    from bot.features import _antecedents, coverage, features

    a = analyze_question("青禾县发布的《青禾文史丛书》一共有几本?")
    report = normalize("青禾县近日发布《青禾文史丛书》。该系列丛书共8本,由县档案馆编写。")
    hit = _passage(report)
    from bot.candidates import sentences_of

    second = sentences_of([hit])[1]
    assert _antecedents(a, second) == "青禾文史丛书 "
    assert features(a, second, hit, 0, "")["cov_sentence"] > coverage(a, second.norm, None) + 0.3
    other = normalize("青禾县近日发布《青禾文史丛书》。该项目共投资8亿元。")  # 项目 is no part of the title
    assert _antecedents(a, sentences_of([_passage(other)])[1]) == ""
    first = sentences_of([hit])[0]
    assert _antecedents(a, first) == ""  # no demonstrative: nothing pointed back to


def test_a_list_of_titled_things_takes_the_titles_of_the_sentences_after_the_best_one() -> None:
    """哪两个文件: the best sentence names one 《title》, the next the other; the short answer is both."""
    from bot.extractive import _titles_of, list_items
    from bot.scoring import load_scoring

    report = normalize("要按照\"一张网、共建网、强治理\"的思路,制定《青禾县网格化管理实施意见》,建立上报机制。"
                       "制定《青禾县网格员考核办法》,做好政策宣传。要实施城市更新行动。")
    a = analyze_question("为推进网格化管理,青禾县要制定哪两个文件?")
    assert a.answer.category == "文件" and a.answer.count == 2
    hits, found = _report_candidates(report, measured=set())
    items = list_items(a, found[0], hits, load_scoring(), found)
    assert [c.norm for c in items] == [found[1].norm]
    assert _titles_of(a, [found[0], *items]) == "《青禾县网格化管理实施意见》、《青禾县网格员考核办法》"
    both = normalize("制定《青禾县网格化管理实施意见》和《青禾县网格员考核办法》。要实施城市更新行动。")
    hits, found = _report_candidates(both, measured=set())
    assert list_items(a, found[0], hits, load_scoring(), found) == []  # both in the best sentence


def test_a_percentage_written_right_after_the_measure_asked_gives_it_as_a_share() -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县那场山火的过火面积有多大?")
    assert _unit_conflict(a, normalize("山火造成3人受伤,过火面积逾60%。")) == 0.0  # the area as a share of the forest
    assert _unit_conflict(a, normalize("山火造成3人受伤,其中60%为轻伤。")) == 1.0  # a share of something else
    assert _unit_conflict(a, normalize("过火面积达120公顷。")) == 0.0


def test_a_count_asked_in_ge_conflicts_with_a_sentence_counting_other_things() -> None:
    from bot.features import _unit_conflict

    a = analyze_question("青禾县停车场建成后能提供多少个停车位?")
    assert _unit_conflict(a, normalize("全县12个重点项目已开工。")) == 1.0
    assert _unit_conflict(a, normalize("建成后可提供停车位600个。")) == 0.0  # what it counts stands before it
    assert _unit_conflict(a, normalize("建成后可提供600个停车泊位。")) == 0.0  # another wording of it
    assert _unit_conflict(a, normalize("全县12个重点项目中,停车场提供车位600个。")) == 0.0  # one figure may answer
    # the thing counted need not end the question
    goes_on = analyze_question("青禾县今年还有多少个自然村需要搬迁?")
    assert _unit_conflict(goes_on, normalize("全县搬迁工作的一个突出短板是资金不足。")) == 1.0
    assert _unit_conflict(goes_on, normalize("全县今年还有12个自然村需要搬迁。")) == 0.0
    described = analyze_question("青禾县那次推介会上有多少个项目签约?")
    assert _unit_conflict(described, normalize("5个涉及智慧农业、冷链物流等领域的项目当天签约。")) == 0.0
    assert _unit_conflict(described, normalize("5个乡镇的干部参加了推介会,签约项目若干。")) == 1.0


def test_a_sentence_listing_what_the_question_asks_a_list_of_answers_before_sentences_opening_alike() -> None:
    """The best sentence announces 三个主要领域; of the next two sentences, the one listing them in a clause naming
    领域 answers, not the two opening alike (这次合作…) that say more about the deal."""
    from bot.extractive import _naming_list, list_items
    from bot.scoring import load_scoring

    report = normalize("青禾县与林海川公司签订合作协议,将在三个主要领域开展合作。三个主要领域分别为智慧农业、数字文旅、"
                       "绿色能源。这次合作还将带动当地就业。这次合作预计投入资金2亿元。")
    a = analyze_question("青禾县与林海川公司的合作协议涵盖哪几个主要领域?")
    hits, found = _report_candidates(report, measured=set())
    assert [c.norm for c in list_items(a, found[0], hits, load_scoring(), found)] == [found[1].norm]
    other = normalize("青禾县与林海川公司签订合作协议,将在三个主要领域开展合作。这次合作还将带动当地就业、增加税收、"
                      "改善民生。这次合作预计投入资金2亿元。")
    hits, found = _report_candidates(other, measured=set())
    assert _naming_list(found[1:], a) == []  # a list of what the deal brings, not of the 领域


def test_the_short_answer_to_an_amount_is_the_figure_nearest_the_word_whose_amount_is_asked() -> None:
    """进出口额 asked, the sentence writes 进出口 beside the amount: the figure after it, not the 1 of 1至7月."""
    from bot.candidates import candidates
    from bot.extractive import short_answer

    a = analyze_question("青禾县今年前7个月的进出口额是多少?")
    best = candidates(a, [_passage(normalize("今年1至7月,青禾县实现进出口73.3亿元,同比增长3.5%。"))])[0]
    assert short_answer(a, best) == "73.3亿元"


def test_the_short_answer_is_taken_from_the_clause_of_the_word_asked_about() -> None:
    """Of figures about as near, the one in the clause that writes the asked word (64个位于山区, not the 38个 that
    opens the next clause right after it)."""
    from bot.candidates import candidates
    from bot.extractive import short_answer

    a = analyze_question("青禾县的村级服务站位于山区的占几个?")
    text = normalize("青禾县已建成村级服务站120个,其中64个位于山区,38个位于城区,18个位于园区。")
    best = candidates(a, [_passage(text)])[0]
    assert short_answer(a, best) == "64个"


def test_the_short_answer_to_an_amount_of_a_measure_is_a_figure_in_its_units() -> None:
    """年收入 asked (money), the sentence opens with how long a survey ran: the figure in 元, however near the
    question's other words the span of weeks stands."""
    from bot.candidates import candidates
    from bot.extractive import short_answer

    a = analyze_question("岚山市职工的年收入达到了多少?")
    text = normalize("岚山市职工工会调查了六个星期,结果显示收入每人每年4.2万元。")
    best = candidates(a, [_passage(text)])[0]
    assert short_answer(a, best) == "4.2万元"


def test_the_same_measure_of_another_thing_is_no_answer() -> None:
    """Asked the 保有量 of 林地, a sentence writing 保有量 only after another noun (耕地保有量) and never 林地 gives
    another thing's; one writing the measure alone or after a division (全县保有量) may still be about it."""
    from bot.features import _measure_conflict

    a = analyze_question("青禾县林地保有量目标是多少?")
    assert _measure_conflict(a, normalize("到2035年,全县耕地保有量不低于59万亩。")) == 1.0
    assert _measure_conflict(a, normalize("到2035年,全县林地保有量不低于12万亩。")) == 0.0
    assert _measure_conflict(a, normalize("到2035年,全县保有量不低于12万亩。")) == 0.0
    car = analyze_question("湖州市汽车保有量是多少?")
    assert _measure_conflict(car, normalize("今年湖州市机动车保有量达300万辆。")) == 1.0
    assert _measure_conflict(car, normalize("今年全市汽车保有量达300万辆。")) == 0.0


def test_a_parallel_follow_up_is_answered_by_a_sentence_naming_its_new_subject() -> None:
    from bot.candidates import candidates

    a = analyze_question("那桃园片区呢?", ["青禾县的城市布局里,梨园片区要打造成什么?"])
    assert a.subject == "桃园片区" and "桃园片区" in a.standalone
    text = normalize("按照城市布局,青禾县梨园片区依托老街改造,打造文旅街区;桃园片区依托湿地公园,打造宜居新城。"
                     "按照城市布局,青禾县重点抓好城东新区建设,打造城市北大门。")
    ok = {c.norm: c.features["place_ok"] for c in candidates(a, [_passage(text)])}
    assert [s for s, v in ok.items() if v] == [normalize("桃园片区依托湿地公园,打造宜居新城。")]
    place = analyze_question("那栖霞市呢?", ["龙口市今年的粮食产量是多少?"])
    assert place.subject == ""  # a place: held by the places' own constraint, which its document may meet


@pytest.mark.parametrize("asked", ["哪个城市", "哪一个市", "的哪个县", "哪个区", "的哪几个县", "哪两个城市", "哪些区"])
def test_a_place_right_before_a_question_word_asking_a_division_is_where_the_answer_lies(asked: str) -> None:
    from bot.features import _place_ok

    a = analyze_question(f"浙江省{asked}去年新建了58所学校?")
    sentence = "湖州市去年新建学校58所。"
    assert _place_ok(a, sentence, "", sentence) == 1.0  # the answer is in 浙江省; the sentence need not say so
    scene = analyze_question("浙江省去年新建了多少所学校?")  # the place of the question's scene
    assert _place_ok(scene, sentence, "", sentence) == 0.0


def test_a_place_asked_by_its_kind_is_the_name_with_that_kind_s_ending() -> None:
    """哪个城市 of a sentence naming a region and a city no gazetteer knows (岚谷奇市): the name ending in 市, not the
    region nearer the question's words."""
    from bot.candidates import candidates
    from bot.extractive import short_answer

    a = analyze_question("青禾集团去年在挪威哪个城市设立了欧洲研发中心?")
    text = normalize("去年,青禾集团在挪威岚谷奇市设立了欧洲研发中心,产品销往北欧和西欧。")
    assert short_answer(a, candidates(a, [_passage(text)])[0]) == "岚谷奇市"
