"""Answer spans: what counts as an amount, a date, a person, a place, a name of a category, a listed clause."""

from __future__ import annotations

import pytest

from bot import spans
from bot.spans import numbers
from retrieval.analysis import analyze_question
from retrieval.lexicon import lexicon
from retrieval.textnorm import normalize


def _found(question: str, sentence: str) -> list[str]:
    norm = normalize(sentence)
    return [norm[a:b] for a, b in spans.answer_spans(norm, analyze_question(question))]


def test_a_span_of_years_or_months_is_no_amount() -> None:
    found = _found("岚山市一共落实了多少帮扶资金?", "自2016年至2020年，已历时5年，落实资金3.8亿元。")
    assert found == ["5年", "3.8亿元"]
    assert _found("被判了多少年有期徒刑?", "2016年至2020年间受贿，被判处有期徒刑12年。") == ["12年"]


def test_a_range_of_amounts_is_one_amount() -> None:
    assert _found("瓦村有多少名志愿者?", "共有1000至1500名志愿者。") == ["1000至1500名"]


def test_what_the_question_states_is_never_its_answer() -> None:
    assert _found("会上由哪位市领导作部署?市长周明远主持", "市长周明远主持会议，副市长赵建军作部署。") == ["赵建军"]


def test_a_rank_question_finds_the_ordinal() -> None:
    assert _found("青禾县的增速排全市第几?", "增速居全市第三位。") == ["居全市第三位"]


def test_a_list_question_finds_the_listed_clause() -> None:
    found = _found("终止了驻哪几个国家大使的任命?", "这四个国家是法国、尼日利亚、多哥和美国。")
    assert found == ["这四个国家是法国、尼日利亚、多哥和美国"]


def test_titles_written_back_to_back_are_a_listed_clause() -> None:
    q = "青禾剧团的专场演出有哪些小品?"
    found = _found(q, "观众可欣赏到《青禾谣》《岚山月》和《白沙渡》3部小品,演出将持续两小时。")
    assert found == ["观众可欣赏到《青禾谣》《岚山月》和《白沙渡》3部小品"]
    assert _found(q, "剧团排演了小品《青禾谣》,演出将持续两小时。") == []  # one title lists nothing


def test_a_spirit_asked_is_answered_by_the_spirit_a_sentence_asks_for() -> None:
    q = "周青禾要求干部鼓起什么样的干劲推进项目?"
    assert analyze_question(q).answer.category == "干劲"
    sentence = "我们要以“马上就办、办就办好”的作风,全力推进项目。"
    assert _found(q, sentence) == ['以"马上就办、办就办好"的作风']  # another noun of the spirit than the one asked
    assert _found(q, "干部要以怎样的作风推进项目?") == []  # asks it, answers nothing
    assert _found(q, "所以我们的态度很明确。") == []  # 所以: no 以…的


def test_a_thing_asked_by_its_kind_is_answered_by_a_quoted_name_of_that_kind() -> None:
    q = "青禾县春节前组织了一场什么名称的活动?"
    assert analyze_question(q).answer.named == "活动"
    assert _found(q, "青禾县扎实开展“春风送岗位·就业暖人心”活动,走访群众三千户。") == ['"春风送岗位·就业暖人心"活动']
    assert _found(q, "岚山市按照“一村一品”原则开展整治活动。") == []  # the noun after it is another
    assert _found(q, "青禾县开展了春风送岗位活动。") == []  # no quoted name
    # the noun may end the quote, or follow 的
    assert _found("岚山市今年要推进什么工程?", "力争全年建成15个“强县工程”。") == ['"强县工程"']
    assert _found("白沙镇产业发展坚持什么原则?", "全镇产业发展坚持“一村一品”的原则。") == ['"一村一品"的原则']
    # a name the question itself writes is what it asks about, no answer
    assert _found("青禾县的春风送岗位活动是什么活动?", "“春风送岗位”活动是县里的就业帮扶活动。") == []


def test_the_questions_own_quoted_names_are_no_items_of_a_list() -> None:
    q = "青禾县要克服的“三种不良倾向”有哪些?"
    assert _found(q, "我们要克服“三种不良倾向”和“五类问题”。") == []  # names the list asked for, lists nothing
    items = "“等靠要”“怕担责”“图安逸”三种不良倾向必须克服。"
    assert _found(q, items) == [normalize(items)[:-1]]


def test_one_after_a_determiner_is_no_count() -> None:
    assert _found("西峰区一共有多少个乡镇?", "同一个行政村尽量选择同一风格。") == []
    assert _found("西峰区一共有多少个乡镇?", "全区只有一个乡镇。") == ["一个"]


def test_a_date_range_is_not_an_amount_but_a_count_of_months_or_yen_is() -> None:
    norm = normalize("活动从3月1日至5月8日举行，为期36个月，合计12日元。")
    found = [norm[a:b] for a, b in spans.numbers(norm)]
    assert not any(f in ("3月1日", "5月8日", "3月", "8日") for f in found)
    assert any(f.startswith("36") for f in found) and "12日元" in found


def test_a_year_of_any_century_is_a_date() -> None:
    norm = normalize("该会堂建于1824年，396年五月初九重修，1985 年扩建。")
    assert [norm[a:b] for a, b in spans.dates(norm)] == ["1824年", "396年五月初九", "1985 年"]
    assert spans.dates(normalize("编号12345年度")) == [] and spans.dates(normalize("增长3.2019年")) == []


def test_a_date_copied_with_spaces_is_one_date() -> None:
    norm = normalize("本报 8 月 16 日消息")
    assert [norm[a:b] for a, b in spans.dates(norm)] == ["8 月 16 日"]


def test_a_figure_set_apart_from_its_unit_keeps_it() -> None:
    norm = normalize("学院拥有语言实验室 15 个，可容纳 840 人。")
    assert [norm[a:b] for a, b in spans.numbers(norm, unit="个")] == ["15 个"]
    assert [norm[a:b] for a, b in spans.numbers(norm)] == ["15 个", "840 人"]


def test_a_counter_the_lexicon_does_not_know_still_marks_the_figure() -> None:
    assert analyze_question("这套丛书一共出了几辑?").answer.counter == "辑"
    # the counter adds its figures; the others stay (an unknown word after 几 may be no counter at all: 多少钱)
    assert _found("这套丛书一共出了几辑?", "丛书先后出版三辑，收录文章一百多篇。") == ["三辑", "一百多篇"]
    assert analyze_question("这笔钱是多少?").answer.counter == ""  # 是 is a function word, not a counter


def test_a_counter_before_the_noun_it_counts_is_a_classifier() -> None:
    """多少张床位: a figure in another counter (五个: items of a list) or a measure (2亿元) answers nothing."""
    question = "青禾县新医院设置了多少张床位?"
    assert (analyze_question(question).answer.counter, analyze_question(question).answer.classifier) == ("张", True)
    assert _found(question, "全县落实五个带头抓，投资2亿元。") == []
    assert "300张" in _found(question, "新院区设置床位300张，投资2亿元。")
    assert _found(question, "新院区床位总数达到1200。") == ["1200"]
    assert analyze_question("这套丛书一共出了几辑?").answer.classifier is False  # the clause ends: maybe a noun
    assert analyze_question("青禾县有几幅作品获奖?").answer.classifier is True
    assert analyze_question("全县有多少的企业上市?").answer.classifier is False  # 的 counts nothing
    assert analyze_question("有多少罗德学者来自青禾大学?").answer.classifier is False  # 罗 starts a word


def test_a_counter_before_a_noun_in_letters_or_figures_is_a_classifier() -> None:
    """几科A+ counts subjects graded A+: a count of people (4名状元) is no answer."""
    question = "青禾中学的周明远一共考了几科A+?"
    assert (analyze_question(question).answer.counter, analyze_question(question).answer.classifier) == ("科", True)
    assert _found(question, "今年诞生4名状元，其中一人为青禾中学的周明远。") == []
    assert _found(question, "周明远考获7科A+，总分名列前茅。") == ["7科"]


def test_a_word_describing_the_noun_after_the_question_word_is_no_counter() -> None:
    """多少活鱼苗, 多少大项目: an adjective or verbal noun describes what is counted; the figure in any unit
    answers (3吨 of live fry), where read as a classifier only figures ending in 活 or 大 would."""
    for question in ("岚山市去年购进多少活鱼苗?", "青禾县签约了多少大项目?", "白沙镇引进了多少好项目?"):
        assert analyze_question(question).answer.counter == "", question
    assert _found("岚山市去年购进多少活鱼苗?", "去年12月，3吨活鱼苗运抵岚山市。") == ["3吨"]
    # a classifier jieba tags a verb stays one (多少起案件, 多少发子弹)
    assert analyze_question("青禾县去年一共侦破多少起案件?").answer.counter == "起"


def test_the_count_asked_is_the_first_how_much_or_else_the_last_how_many() -> None:
    """几 also means "several": 青禾县几所学校…还剩多少 asks no count of schools, 那几天…有多少毫米 no days, and
    几个月里…几回 asks how many times."""
    assert analyze_question("青禾县几所学校参加测试，及格率还剩多少?").answer.unit == ""
    assert _found("青禾县几所学校参加测试，及格率还剩多少?", "测试结束后，全县及格率仍有93%。") == ["93%"]
    assert analyze_question("岚山市那几天的降雨量有多少毫米?").answer.unit == "毫米"
    assert analyze_question("云岭市的大桥几个月里出了几回事故?").answer.counter == "回"
    assert analyze_question("青禾县有多少名教师参赛，获奖的有几位?").answer.unit == "名"  # both asked: the first


def test_a_date_or_time_of_day_written_in_figures_holds_no_amount() -> None:
    # a report's dateline (24-03-05 09:12) is no count, whatever is asked; the figures after it still are
    assert _found("青禾县今年新增了多少家企业?", "24-03-05 09:12，正文：青禾县日前印发实施方案。") == []
    assert _found("青禾县新增了多少家企业?", "2023/8/9发布：青禾县新增企业12家。") == ["12家"]
    assert _found("岚山市有多少个项目?", "2024-03-05，岚山市开工项目共5个。") == ["5个"]
    # two figures with no year before them are a range, and a year and a month joined by a dot a decimal
    assert _found("青禾县有多少名志愿者?", "共有10-12名志愿者。") == ["10-12名"]
    assert _found("青禾县投资多少?", "总投资2023.08亿元。") == ["2023.08亿元"]


def test_a_season_across_two_years_holds_no_amount() -> None:
    # 2024/25榨季, 2023-24财年, 2024/2025赛季: a year and the next; the figures after it still count
    assert _found("青禾县今年产糖多少?", "青禾县2024/25榨季产糖12万吨。") == ["12万吨"]
    assert _found("青禾县的收入是多少?", "青禾县2023-24财年收入3亿元。") == ["3亿元"]
    assert _found("青禾队进了多少个球?", "青禾队2024/2025赛季共进球15个。") == ["15个"]
    assert _found("青禾县的规划有多少个项目?", "青禾县2024/26规划项目8个。") == ["8个"]  # two years apart: no season


def test_a_figure_with_thousands_separators_is_one_figure() -> None:
    norm = normalize("白沙镇展馆面积达2,400平方米，全镇人口12,790,060人，各组分别为3,4,5个。")
    assert [norm[a:b] for a, b in spans.numbers(norm)] == ["2,400平方米", "12,790,060人", "3", "4", "5个"]
    assert _found("白沙镇展馆面积有多大?", "白沙镇展馆面积达2,400平方米。") == ["2,400平方米"]


def test_the_tail_of_a_figure_is_no_figure_of_its_own() -> None:
    norm = normalize("白沙镇每年培育鱼苗5000万尾。")
    assert [norm[a:b] for a, b in spans.numbers(norm, counter="尾")] == ["5000万尾"]
    assert [norm[a:b] for a, b in spans.numbers(norm)] == ["5000万"]


def test_how_long_is_answered_by_a_span_of_time() -> None:
    assert _found("青禾大桥修了多久?", "大桥分两个标段施工，历时三年建成。") == ["三年"]
    assert _found("青禾大桥修了多久?", "大桥分两个标段施工，共有300名工人。") == []
    assert _found("青禾古镇的历史有多久?", "青禾古镇先后两次获评历史文化名镇。") == []  # times, not how long
    assert _found("青禾古镇的历史有多久?", "古镇两次获评名镇，已有800多年历史。") == ["800多年"]
    assert _found("办一张证要多长时间?", "两次上门核验后，5个工作日内办结。") == ["5个工作日"]


def test_a_score_is_two_figures_joined_by_a_colon_or_bi() -> None:
    assert _found("青禾队那场比赛的比分是多少?", "青禾队最终0:2告负。") == ["0:2"]
    assert _found("青禾队以多少比數輸給岚山队?", "青禾队以1比4不敌岚山队。") == ["1比4"]  # traditional script
    assert _found("青禾队那场比赛的比分是多少?", "双方战成三比三。") == ["三比三"]
    assert _found("青禾队那场比赛的比分是多少?", "比赛于20:00开始，同比增加2场。") == []  # a time of day, no score
    assert _found("青禾队那场比赛的比分是多少?", "青禾队102:98险胜。") == ["102:98"]


def test_fractions_tenths_and_bare_magnitudes_are_amounts() -> None:
    norm = normalize("山地约占全县面积的三分之二，八成以上是林地，常住人口四十万；八成是雨天。")
    assert [norm[a:b] for a, b in spans.numbers(norm)] == ["三分之二", "八成", "四十万"]


def test_tenths_after_an_approximation_are_figures_whatever_follows() -> None:
    norm = normalize("全县近两成农户、约八成企业已完成改造，他八成是忘了，一成不变。")
    assert [norm[a:b] for a, b in spans.numbers(norm)] == ["近两成", "约八成"]


def test_a_count_of_time_units_keeps_the_unit_after_its_counter() -> None:
    assert _found("新生儿每天要睡多少个小时?", "新生儿每天睡眠18小时左右。") == ["18小时"]
    assert _found("新生儿每天要睡多少个小时?", "新生儿每天要睡18个小时。") == ["18个小时"]
    assert _found("这项工程建了几个月?", "工程历时3个月完工，投资5亿元。") == ["3个月"]


def test_a_count_in_another_counter_answers_when_none_is_in_the_asked_one() -> None:
    assert _found("学校培养了多少位世界冠军?", "学校已培养世界冠军73人，投入经费2亿元。") == ["73人"]
    assert _found("学校培养了多少位世界冠军?", "学校培养了73位冠军、120人次。") == ["73位"]


def test_a_year_asked_with_its_era_is_a_date() -> None:
    assert analyze_question("这座大桥是在公元几年建成的?").answer.kind == "date"
    assert analyze_question("这座大桥是几几年建成的?").answer.kind == "date"


def test_a_quote_of_figures_alone_is_a_name_not_an_amount() -> None:
    norm = normalize("青禾县新增省级项目5个,9个“386”工程开工,打造“4+1”产业体系,完成“双12”促销。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["5个", "9个", "12"]  # a quote of more than figures: no code


@pytest.mark.parametrize("sentence", ["运油-20和歼-16同框亮相", "试验车型为宝马iX5 Hydrogen",
                                      "在第八届7·15公众开放日发布", "G20峰会在青禾召开", "编号为A-3的展位"])
def test_a_figure_inside_a_name_or_code_is_no_count(sentence: str) -> None:
    assert numbers(normalize(sentence), "个") == []
    assert numbers(normalize(sentence), "人次") == []


def test_a_bare_figure_standing_alone_still_answers_a_count() -> None:
    norm = normalize("青禾县今年共接待游客8.57万，超过去年的7万。")
    assert [norm[a:b] for a, b in numbers(norm, "人次")] == ["8.57万", "7万"]


@pytest.mark.parametrize("sentence", ["全市pm10平均浓度同比明显下降。", "青禾县将承办g20相关会议。",
                                      "新上市的iphone15销量很好。"])
def test_a_figure_after_latin_letters_is_a_name_whatever_is_asked(sentence: str) -> None:
    assert numbers(normalize(sentence)) == []


def test_a_figure_before_a_dot_and_letters_is_a_code_with_its_suffix() -> None:
    # a stock code with its exchange (青禾药业(600123.SH)) counts nothing; the holding after it still does
    norm = normalize("青禾药业(600123.SH)公告称，公司仍持有岚山科技股份944.1万股。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["944.1万"]
    plain = normalize("全年增长3.5%，达12.5万吨。")  # a decimal point is no code's dot
    assert [plain[a:b] for a, b in numbers(plain)] == ["3.5%", "12.5万吨"]


@pytest.mark.parametrize("word", lexicon().code_words)
def test_a_figure_a_word_for_a_code_leads_is_the_code_counting_nothing(word: str) -> None:
    norm = normalize(f"青禾药业({word}：600123)公告称，公司仍持有岚山科技股份944.1万股。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["944.1万"]
    assert [norm[a:b] for a, b in numbers(norm, codes=True)] == ["600123", "944.1万"]  # asked for, it answers
    stated = normalize(f"该批设备{word}为3，共投入300台。")
    assert [stated[a:b] for a, b in numbers(stated)] == ["300台"]


def test_a_figure_after_a_code_and_a_plus_or_minus_is_part_of_the_code() -> None:
    """The mileage mark k2+040 is a place on a road, not 40 of anything: no answer to 有多长."""
    assert _found("青禾大桥有多长?", "青禾大桥位于环城路与铁路k2+040里程交叉处。") == []
    assert _found("青禾大桥有多长?", "青禾大桥位于铁路k2+040里程处,全长680米。") == ["680米"]


def test_a_count_of_people_asked_with_ge_is_answered_in_ren_or_its_synonyms_not_in_ge_of_things() -> None:
    question = "青禾县这次抢险一共救出了几个人?"
    assert _found(question, "救援队共救出被困群众4人。") == ["4人"]
    assert _found(question, "救援队一共救出了4个人。") == ["4个"]
    assert _found(question, "救援队共救出被困群众4名。") == ["4名"]
    assert _found(question, "救援队出动冲锋舟5个,救出12人。") == ["12人"]


def test_a_figure_the_previous_answer_gave_does_not_answer_the_follow_up() -> None:
    previous = ["青禾县体彩一等奖得主中了多少钱?"]
    a = analyze_question("他当场捐了多少钱?", previous, answered="1200万元。\n青禾县一位彩民中得1200万元。[1]")
    assert a.given == "1200万元"
    sentence = "这位中得1200万元的彩民当场捐赠了20万元。"
    assert [sentence[b:e] for b, e in spans.answer_spans(sentence, a)] == ["20万元"]
    fresh = analyze_question("他当场捐了多少钱?")  # no previous answer: both figures are candidates
    assert len(spans.answer_spans(sentence, fresh)) == 2


@pytest.mark.parametrize(("reply", "given"), [
    ("1200万元。", "1200万元"),
    ("1200万元。\n青禾县一位彩民中得1200万元。[1]", "1200万元"),
    ("青禾县一位彩民中得1200万元。[1]", ""),  # only a quote: no short answer to hold back
    ("资料中没有找到「青禾县体彩一等奖得主中了多少钱」的明确答案，下面是最接近的段落，供参考。", ""),
])
def test_the_short_answer_is_the_first_line_of_a_reply(reply: str, given: str) -> None:
    from retrieval.analysis import short_line

    assert short_line(reply) == given


def test_a_part_of_the_year_is_no_amount() -> None:
    from retrieval.analysis import analyze_question

    a = analyze_question("青禾县去年的研发费用有多少?")
    norm = normalize("第二季度研发费用为1720万元，二季度增长较快，前三个季度累计4000万元。")
    found = [norm[x:y] for x, y in spans.answer_spans(norm, a)]
    assert "二季度" not in found and "第二季度" not in found
    assert "1720万元" in found and "4000万元" in found


def test_a_rank_asked_with_duoshao_finds_the_ordinal() -> None:
    assert analyze_question("他是青禾县第多少任县长?").answer.ordinal
    assert analyze_question("青禾县的增速排多少位?").answer.ordinal
    assert _found("他是青禾县第多少任县长?", "他是青禾县第22任县长，任期5年。") == ["第22"]


def test_a_figure_after_an_ordinal_prefix_is_a_rank_not_an_amount() -> None:
    assert _found("蔬菜价格已经连续多少周下降?", "省商务厅发布第31周监测报告，蔬菜价格连续13周下降。") == ["13周"]
    assert _found("青禾县有多少个村?", "第3个村位于东部。") == []
    assert _found("青禾县的增速排全市第几?", "增速居全市第三位。") == ["居全市第三位"]  # a rank asked: the ordinal


def test_a_date_answers_only_with_the_part_asked_for() -> None:
    assert _found("大桥是哪一年通车的?", "5月，大桥主体完工，2019年正式通车。") == ["2019年"]
    assert _found("大桥是哪一年通车的?", "5月8日，大桥正式通车。") == []
    assert _found("大桥是哪天通车的?", "大桥于2019年通车，5月8日举行仪式。") == ["5月8日"]
    assert _found("大桥是什么时候通车的?", "大桥于2019年通车。") == ["2019年"]  # any date
    assert not spans.of_grain("上半年", "year") and not spans.of_grain("1990年代", "year")
    assert spans.of_grain("正月十五", "day") and spans.of_grain("2019-05-08", "day")
    assert spans.of_grain("嘉靖九年", "year") and spans.of_grain("承久3年", "year")  # era years
    assert _found("大桥是哪一年通车的?", "同年10月22日，大桥通车。") == ["10月22日"]  # the year told before


@pytest.mark.parametrize(("text", "times"), [
    ("晚上9点半，孩子被家人接回。", ["9点半"]),
    ("列车16时45分到站，9时许开始检票。", ["16时45分", "9时许"]),
    ("夜间优惠时段为每天23:00至次日7:00。", ["23:00", "7:00"]),
    ("上午十点整，大会开幕。", ["十点整"]),
    ("全程用了3小时，比2016时缩短一半。", []),  # how long, and a year running on, are no time of day
    ("两场比赛9点分别开始。", ["9点"]),  # 分 of 分别 is no minute
])
def test_times_of_day(text: str, times: list[str]) -> None:
    norm = normalize(text)
    assert [norm[a:b] for a, b in spans.clocks(norm)] == times


def test_a_time_of_day_answers_what_time_and_a_date_does_not() -> None:
    assert _found("青禾县大桥几点通车?", "5月8日上午10点，青禾县大桥通车。") == ["10点"]
    assert _found("青禾县大桥几点通车?", "2019年5月8日，青禾县大桥通车。") == []
    assert _found("青禾县大桥是哪天通车的?", "5月8日上午10点，大桥通车。") == ["5月8日"]


def test_a_span_of_time_before_shijian_is_how_long_not_a_time_of_day() -> None:
    norm = normalize("全县要用1—2年时间完成改造，用3个月时间整改，会议16时45分开始。")
    assert [norm[a:b] for a, b in numbers(norm, duration=True)] == ["1—2年", "3个月"]
    assert _found("青禾县打算花多长时间完成改造?", "全县要用2年时间完成改造。") == ["2年"]


def test_a_grade_in_roman_numerals_answers_which_class_or_level() -> None:
    assert _found("青禾水库的水质要治理到几类?", "要确保青禾水库水质达到IV类标准。") == ["iv类"]
    assert _found("青禾县启动了几级防汛应急响应?", "青禾县于7月30日启动防汛Ⅳ级应急响应。") == ["ⅳ级"]
    assert numbers(normalize("完成率达到X级，转移群众300人。"), "级") == []  # X hides a figure


def test_a_magnitude_alone_is_no_figure_unless_an_approximation_stands_beside_it() -> None:
    norm = normalize("全力推进万家水库建设，服务走进千家万户，近万家企业受益，百余家单位参加，新增3万家商户。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["近万家", "百余家", "3万家"]


def test_a_magnitude_alone_after_a_lead_word_is_the_figure() -> None:
    norm = normalize("全镇茶叶产值已突破千万元，旺季每天游客上万人，数百家商户入驻，几十个村受益；"
                     "上一个季度，万人大会召开。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["突破千万元", "上万人", "数百家", "几十个"]
    assert [norm[a:b] for a, b in numbers(norm, "元")] == ["突破千万元"]


def test_a_figure_set_apart_from_its_magnitude_by_a_space_keeps_it() -> None:
    norm = normalize("全国互联网投融资为 10.1 亿美元，共 15 个项目，1.5 万吨。")
    assert [norm[a:b] for a, b in numbers(norm)] == ["10.1 亿美元", "15 个", "1.5 万吨"]


def test_a_village_or_town_name_holds_no_conjunction_or_particle() -> None:
    norm = normalize("要压实领导主体责任和镇村两级干部整改责任,青禾县白沙村和红旗镇都已完成。")
    found = [norm[a:b] for a, b in spans.places(norm)]
    assert "青禾县白沙村" in found and "红旗镇" in found
    assert not any("和" in name for name in found)


def test_a_village_suffix_that_opens_a_common_word_ends_no_name() -> None:
    norm = normalize("巩固拓展脱贫攻坚成果同乡村振兴有效衔接,青禾县白沙村已完成。")
    assert [norm[a:b] for a, b in spans.places(norm)] == ["青禾县白沙村"]


def test_a_day_of_every_month_answers_which_day() -> None:
    assert _found("青禾县的县长接待日固定在每月几号?", "青禾县县长接待日定于每月15日举办。") == ["每月15日"]
    assert _found("青禾县的县长接待日固定在每月几号?", "每个月15号,青禾县都会举办县长接待日。") == ["每个月15号"]
    assert _found("青禾县的县长接待日固定在每月几号?", "青禾县县长接待日已举办15次。") == []


@pytest.mark.parametrize(("sentence", "name"), [
    ("市交通运输局局长张约翰坦承任务很重。", "张约翰"),  # 张 tagged as a measure word, 约翰 as a foreign name
    ("青禾县副县长李杰克出席会议并讲话。", "李杰克"),
])
def test_a_surname_right_after_a_role_begins_a_name_whatever_the_tagger_made_of_it(sentence: str, name: str) -> None:
    norm = normalize(sentence)
    assert name in [norm[a:b] for a, b in spans.person_names(norm)]


def test_a_verb_after_a_role_and_a_surname_is_no_given_name() -> None:
    norm = normalize("县长王强调要抓好落实。")
    assert spans.person_names(norm) == []


@pytest.mark.parametrize("question", ["甲乙两国的战争持续多久?", "甲乙两国的战争打了多少年?"])
def test_a_year_with_its_month_is_a_date_whatever_its_century_never_an_amount(question: str) -> None:
    assert _found(question, "战争最后于1264年8月21日结束。") == []
    assert _found(question, "战争于1264年8月结束，历时四年。") == ["四年"]
