"""General patterns the extractor reads, each shown on sentences written for the test.

Every rule here was chosen from a failure on a corpus article (tests/corpus), but the
sentences are not the articles': they show the pattern, not the article's wording.
"""

from datetime import date

from dashboard.extract import extract


def drafts_of(text: str, published: date | None = date(2023, 6, 14)):
    return {
        (d.event_type, d.event_date.isoformat() if d.event_date else None, d.country)
        for d in extract(text, published)
    }


# ------------------------------------------------------------ interceptions, in English


def test_an_interception_reported_by_the_defender_is_an_attack():
    got = drafts_of(
        "Kuwaiti air defences said on Monday they had intercepted three drones "
        "aimed at an oil terminal near Kuwait City."
    )
    assert ("attack", "2023-06-12", "KWT") in got
    assert not any(t == "statement" for t, _, _ in got)


def test_shot_down_is_an_attack_word():
    got = drafts_of("Air defences shot down a missile over Basra on Sunday, officials said.")
    assert ("attack", "2023-06-11", "IRQ") in got


# ------------------------------------------------------------ Security Council decisions


def test_a_weekday_and_a_split_number_between_adopted_and_resolution():
    got = drafts_of(
        "The Security Council adopted Tuesday Resolution 27 04 (2023), renewing the "
        "monitoring mission in Hodeidah for six months."
    )
    assert ("resolution", "2023-06-13", "USA") in got


def test_the_councils_sitting_dates_its_decision_and_is_no_meeting_of_its_own():
    got = drafts_of(
        "The Security Council unanimously adopted a resolution to renew the mission in "
        "Mali for a year, the Council's president told reporters at a meeting on Monday."
    )
    assert got == {("resolution", "2023-06-12", "USA")}
    got = drafts_of(
        "The vote on the renewal took place at the start of a Security Council meeting "
        "on Friday. The Security Council renewed the mission."
    )
    assert not any(t == "meeting" for t, _, _ in got)


def test_by_a_date_is_a_deadline():
    got = drafts_of(
        "The envoy said the observers are expected to leave the country by 30 September 2024."
    )
    assert not any(day == "2024-09-30" for _, day, _ in got)


def test_a_renewal_sits_in_new_york_whatever_place_its_mission_names():
    got = drafts_of(
        "The Security Council on Monday extended until 2024 the mandate of the observer "
        "mission in Kirkuk."
    )
    assert ("resolution", "2023-06-12", "USA") in got
    got = drafts_of(
        "The Security Council adopted a resolution on Monday during its session in Addis Ababa."
    )
    assert ("resolution", "2023-06-12", "ETH") in got


# ------------------------------------------------------------ who speaks, from where


def test_a_ministry_followed_by_its_countrys_name_speaks_from_that_country():
    got = drafts_of("أصدرت وزارة خارجية تونس بياناً اليوم الأربعاء رحبت فيه بالاتفاق.")
    assert ("statement", "2023-06-14", "TUN") in got


def test_a_ministry_without_its_country_speaks_for_the_country_that_speaks_after_it():
    got = drafts_of(
        "أدانت وزارة الخارجية، اليوم الأربعاء، التفجير الذي استهدف سوقاً في مدينة الموصل.\n"
        "وتؤكد الكويت وقوفها إلى جانب الشعب العراقي."
    )
    assert ("statement", "2023-06-14", "KWT") in got
    # two countries expressing themselves: no guess
    got = drafts_of(
        "أدانت وزارة الخارجية، اليوم الأربعاء، التفجير الذي استهدف سوقاً في مدينة الموصل.\n"
        "وتؤكد الكويت وقوفها إلى جانب العراق، كما تجدد قطر موقفها."
    )
    assert ("statement", "2023-06-14", None) in got


def test_struck_by_a_drone_in_arabic_is_an_attack():
    got = drafts_of("وفي مارس الماضي، ضربت طائرة مسيرة مخزناً للذخيرة قرب مطار الموصل.")
    assert ("attack", "2023-03-01", "IRQ") in got


def test_the_councils_founding_of_a_mission_is_its_decision():
    got = drafts_of("وتعمل البعثة التي أنشأها مجلس الأمن الدولي في 3 آذار/ مارس 2015 في مالي.")
    assert ("resolution", "2015-03-03", "USA") in got
    got = drafts_of(
        "The Security Council renewed the mission, which was established on 2 May 2016 "
        "after talks held in Nairobi."
    )
    assert ("resolution", "2016-05-02", "USA") in got


# ------------------------------------------------------------ plans: when they fall


def test_a_decision_to_hold_a_meeting_dates_it_forward():
    # a later month than publication is last year's, unless the meeting is only agreed on
    got = drafts_of("The ministers decided to hold a meeting in October.")
    assert ("meeting", "2023-10-01", None) in got
    got = drafts_of("وتقرر عقد الاجتماع في تشرين الأول.")
    assert ("meeting", "2023-10-01", None) in got
    # and a meeting that was held in a later month than publication stays last year's
    got = drafts_of("The ministers held a meeting in October.")
    assert ("meeting", "2022-10-01", None) in got


# ------------------------------------------------------------ a series of talks named by a place


def test_a_series_named_by_a_place_yields_to_the_town_the_round_sat_in():
    got = drafts_of(
        "Delegates at the “Astana 12” talks in the Turkish city of Antalya met on Sunday."
    )
    assert ("meeting", "2023-06-11", "TUR") in got
    got = drafts_of(
        'وانعقدت يوم الأحد جولة جديدة من المحادثات بصيغة "محادثات أستانا" في مدينة طهران الإيرانية.'
    )
    assert ("meeting", "2023-06-11", "IRN") in got
    # the series' place alone is still the venue
    got = drafts_of("The Astana talks opened on Sunday.")
    assert ("meeting", "2023-06-11", "KAZ") in got


def test_a_plan_that_was_postponed_is_no_meeting_on_its_date():
    got = drafts_of(
        "وكان من المقرر أن يعقد المؤتمر في بغداد في آذار الماضي، إلا أنه أرجئ بسبب الأوضاع الأمنية."
    )
    assert not any(t == "meeting" for t, _, _ in got)
    got = drafts_of("The summit had been scheduled for 3 May in Cairo but was postponed.")
    assert not any(t == "meeting" for t, _, _ in got)
    got = drafts_of("أعلنت الجامعة تأجيل الاجتماع الذي كان مقررا يوم السبت 10 حزيران.")
    assert not any(t == "meeting" and day == "2023-06-10" for t, day, _ in got)
    # a summit that was held is still one
    assert ("meeting", "2023-05-03", "EGY") in drafts_of("The summit was held on 3 May in Cairo.")


# ------------------------------------------------------------ months counted from another


def test_the_following_month_is_the_month_after_the_one_named_before():
    got = drafts_of(
        "وفي آذار الماضي، ضربت طائرة مسيرة مطار الموصل. وفي الشهر التالي، ضربت طائرة مسيرة "
        "قاعدة في كركوك."
    )
    assert ("attack", "2023-04-01", "IRQ") in got
    got = drafts_of(
        "A drone struck the base in Kirkuk in March. The following month, a drone struck the "
        "airport in Mosul."
    )
    assert ("attack", "2023-04-01", "IRQ") in got
    # without a publication date March has no year, and neither has the month after it
    got = drafts_of(
        "A drone struck the base in Kirkuk in March. The following month, a drone struck the "
        "airport in Mosul.",
        None,
    )
    assert all(day is None for _, day, _ in got)


def test_an_ordinal_day_of_this_month():
    got = drafts_of("وكان هجوم بطائرة مسيرة قد استهدف مطار أربيل في الثالث من الشهر الجاري.")
    assert any(t == "attack" and day == "2023-06-03" for t, day, _ in got)
    got = drafts_of("وعقد الاجتماع في العاشر من الشهر الماضي في عمان.")
    assert ("meeting", "2023-05-10", "JOR") in got


# ------------------------------------------------------------ years counted from publication


def test_a_year_counted_from_publication():
    got = drafts_of("وسيعقد الاجتماع المقبل في عمان في النصف الثاني من العام الجاري.")
    assert ("meeting", "2023-01-01", "JOR") in got
    got = drafts_of("The next meeting will be held in Amman next year.")
    assert ("meeting", "2024-01-01", "JOR") in got
    got = drafts_of("The next meeting will be held in Amman in the second half of 2025.")
    assert ("meeting", "2025-01-01", "JOR") in got
    # without a publication date, "next year" has no year
    got = drafts_of("The next meeting will be held in Amman next year.", None)
    assert all(day is None for _, day, _ in got)


def test_a_year_after_a_month_is_that_months_year_and_a_year_before_a_noun_no_date():
    got = drafts_of("مدد مجلس الأمن اليوم ولاية البعثة حتى نهاية تشرين الأول العام المقبل.")
    assert not any(day and day.startswith("2024") for _, day, _ in got)
    got = drafts_of("This year meeting in Amman was held on Monday.")
    assert got == {("meeting", "2023-06-12", "JOR")}


# ------------------------------------------- rockets that fall, missiles shot down


def test_rockets_that_fell_on_a_base_are_an_attack():
    got = drafts_of("أفادت الشرطة بسقوط 3 صواريخ على قاعدة بلد الجوية شمال بغداد مساء الأحد.")
    assert ("attack", "2023-06-11", "IRQ") in got
    assert not any(t == "statement" for t, _, _ in got)
    got = drafts_of("قال مصدر عسكري إن صاروخين سقطا قرب مطار أربيل يوم الاثنين.")
    assert ("attack", "2023-06-12", "IRQ") in got
    got = drafts_of("Two mortar shells landed near the airport of Mosul on Tuesday, police said.")
    assert ("attack", "2023-06-13", "IRQ") in got


def test_falling_debris_and_the_fall_of_a_regime_are_no_attack():
    assert not drafts_of("طالب المتظاهرون يوم الجمعة بإسقاط النظام في الخرطوم.") & {
        ("attack", "2023-06-09", "SDN")
    }
    got = drafts_of("وأصيب مدني بسقوط شظايا في الحي يوم الثلاثاء.")
    assert not any(t == "attack" for t, _, _ in got)


def test_a_missile_shot_down_is_an_attack_in_arabic():
    got = drafts_of(
        "أعلن الجيش في بيان أن الدفاعات الجوية أسقطت فجر الثلاثاء طائرة مسيرة "
        "أطلقت باتجاه مدينة جازان."
    )
    assert ("attack", "2023-06-13", "SAU") in got
    assert not any(t == "statement" for t, _, _ in got)


def test_a_night_between_two_weekdays_is_the_day_it_began():
    got = drafts_of("سقطت 4 صواريخ على مطار الموصل ليل السبت الأحد دون إصابات.")
    assert ("attack", "2023-06-10", "IRQ") in got
    assert ("attack", "2023-06-11", "IRQ") not in got


def test_targeted_is_an_attack_word_and_said_its_channel():
    got = drafts_of("Three drones on Sunday targeted a base hosting coalition troops in Syria.")
    assert ("attack", "2023-06-11", "SYR") in got
    assert not any(t == "statement" for t, _, _ in got)


def test_took_place_after_an_attack_noun_is_no_signing():
    got = drafts_of("قال مسؤولون، الأربعاء، إن هجوما وقع، يوم الأحد، على سفينة تجارية قبالة عدن.")
    assert not any(t == "agreement" for t, _, _ in got)
    assert ("attack", "2023-06-11", "YEM") in got


# ------------------------------------------------------------- agreements and classes


def test_parties_that_agreed_on_a_mechanism_made_an_agreement():
    got = drafts_of("واتفق الطرفان المتحاربان، أمس الثلاثاء في الدوحة، على تبادل الأسرى والجثامين.")
    assert ("agreement", "2023-06-13", "QAT") in got


def test_agreeing_to_hold_a_meeting_or_on_its_importance_is_no_agreement():
    got = drafts_of("واتفق الوزيران الثلاثاء على عقد الجولة المقبلة في الرباط.")
    assert not any(t == "agreement" for t, _, _ in got)
    got = drafts_of("واتفقا الثلاثاء على أهمية مواصلة الحوار.")
    assert not any(t == "agreement" for t, _, _ in got)
    got = drafts_of("It was also agreed on Tuesday to further cooperate on border crossings.")
    assert not any(t == "agreement" for t, _, _ in got)


def test_many_agreements_of_a_year_are_no_one_agreement():
    got = drafts_of("وسبق أن رعت القاهرة العديد من اتفاقيات التهدئة خلال العام الماضي.")
    assert not any(t == "agreement" for t, _, _ in got)
    got = drafts_of(
        "ووقعت فصائل على اتفاقات مماثلة في عمّان، مع سابق توقيع العديد من اتفاقات الهدنة "
        "خلال العام الماضي."
    )
    assert not any(t == "agreement" and d and d.startswith("2022") for t, d, _ in got)


def test_a_resolution_named_with_its_date():
    got = drafts_of("وطالب المجلس بتطبيق قراره رقم 242 المؤرخ 22 تشرين الثاني 1967 تطبيقا كاملا.")
    assert ("resolution", "1967-11-22", "USA") in got


# ------------------------------------------------------------- announcements of plans


def test_a_spokeswoman_announcing_a_round_is_a_statement_and_the_round_is_planned():
    got = drafts_of(
        "قالت المتحدثة باسم المبعوث الأممي اليوم الأربعاء إن جولة المشاورات في مسقط "
        "ستنطلق في الخامس والعشرين من الشهر الجاري."
    )
    assert ("statement", "2023-06-14", None) in got or ("statement", "2023-06-14", "OMN") in got
    assert ("meeting", "2023-06-25", "OMN") in got
    assert ("meeting", "2023-06-14", "OMN") not in got


def test_a_bare_weekday_in_a_future_clause_counts_forward():
    got = drafts_of("وسيتولى الوسيط استقبال الوفود الخميس لإطلاق الجولة الثالثة في جنيف.")
    assert ("meeting", "2023-06-15", "CHE") in got


def test_two_ordinal_days_of_this_month():
    got = drafts_of("ومن المقرر عقد الاجتماع في عمّان في العاشر والحادي عشر من الشهر الجاري.")
    assert ("meeting", "2023-06-10", "JOR") in got


def test_a_plan_postponed_with_bi_is_no_meeting_on_its_first_date():
    got = drafts_of(
        "وكان مقررا أن تنطلق المحادثات في الخامس من يونيو الجاري، إلا أن الوسيط أعلن "
        "بتأجيلها إلى موعد لاحق."
    )
    assert ("meeting", "2023-06-05", None) not in got


# ------------------------------------------- statements that only carry another event


def test_a_statement_that_reports_an_interception_is_part_of_the_attack():
    got = drafts_of(
        "قالت القيادة العسكرية في بيان، الثلاثاء، إن الدفاعات الجوية أسقطت صاروخا "
        "أطلق باتجاه مدينة نجران الليلة الماضية."
    )
    assert ("attack", "2023-06-13", "SAU") in got
    assert not any(t == "statement" for t, _, _ in got)
    # a condemnation is a statement of its own
    got = drafts_of("أدانت وزارة الخارجية الأردنية، الثلاثاء، الهجوم على قاعدة في أربيل.")
    assert any(t == "statement" and d == "2023-06-13" for t, d, _ in got)


def test_the_day_something_was_said_does_not_date_an_attack_with_its_own_day():
    got = drafts_of(
        "وقال مسؤولون، الثلاثاء، إن لديهم أدلة على أن جماعة مسلحة نفذت هجوما وقع، "
        "يوم السبت، على سفينة قبالة عدن."
    )
    assert ("attack", "2023-06-10", "YEM") in got
    assert ("attack", "2023-06-13", "YEM") not in got


def test_a_date_in_brackets_glosses_yesterday_and_is_no_date_line():
    got = drafts_of(
        "أعلنت كندا يوم أمس الثلاثاء (13 يونيو / حزيران 2023) أنها ستستضيف اجتماعا "
        "لوزراء الدفاع في أوتاوا أواخر الشهر الجاري.",
        date(2023, 6, 14),
    )
    assert ("statement", "2023-06-13", "CAN") in got
    years = {d[:4] for _, d, _ in got if d}
    assert years == {"2023"}


def test_a_future_verb_after_a_date_keeps_it_in_the_year_of_publication():
    got = drafts_of("وفي 28 يونيو، سيبحث اجتماع لقادة الأركان في روما تقاسم الكلفة.")
    assert ("meeting", "2023-06-28", "ITA") in got


# ---------------------------------------------------------- talks, closings, agreements


def test_a_statement_issued_at_the_close_of_talks_takes_their_day_and_place():
    got = drafts_of(
        "اختتمت مشاورات السلام المنعقدة في مسقط أعمالها أمس الثلاثاء بصدور بيان يدعو "
        "إلى الحوار. وأكد البيان الذي تلاه الوسيط على أهمية الحل السياسي في جنيف."
    )
    assert ("meeting", "2023-06-13", "OMN") in got
    assert ("statement", "2023-06-13", "OMN") in got
    assert not any(t == "statement" and c == "CHE" for t, _, c in got)


def test_an_agreement_reached_at_talks_takes_their_day_and_place():
    got = drafts_of(
        "واتفقت الأطراف الراعية لمشاورات السلام في مسقط، أمس الثلاثاء، على إنشاء لجنة "
        "لمراقبة الهدنة."
    )
    assert ("agreement", "2023-06-13", "OMN") in got


def test_an_agreement_during_a_round_dated_only_by_its_first_day_is_of_that_month():
    got = drafts_of(
        "وعقدت في 5 حزيران جولة أولى من المشاورات في مسقط برعاية أممية. وتم الاتفاق "
        "خلالها على تبادل الأسرى."
    )
    assert ("meeting", "2023-06-05", "OMN") in got
    assert any(t == "agreement" and d == "2023-06-01" for t, d, _ in got)
    assert not any(t == "agreement" and d == "2023-06-05" for t, d, _ in got)


def test_agreeing_at_a_summit_to_organise_a_meeting_is_no_agreement():
    got = drafts_of(
        "وقال البيان: لقد أشرنا في الاتفاق الوارد في البيان الختامي للقمة بتاريخ 3 مايو "
        "2023 على تنظيم اجتماع للخبراء في القاهرة."
    )
    assert not any(t == "agreement" for t, _, _ in got)


# ------------------------------------------------- around a Security Council resolution


def test_the_next_day_is_not_today():
    got = drafts_of("وفي اليوم التالي (12 يونيو) اجتمع أعضاء المجلس لمناقشة النص.")
    assert ("meeting", "2023-06-12", None) in got
    assert ("meeting", "2023-06-14", None) not in got


def test_a_date_before_a_draft_is_circulated_does_not_jump_to_a_later_meeting():
    got = drafts_of(
        "وكانت فرنسا عممت المسودة على الأعضاء في 9 يونيو الجاري، وفي 12 يونيو اجتمع الأعضاء لبحثها."
    )
    assert ("meeting", "2023-06-12", None) in got
    assert ("meeting", "2023-06-09", None) not in got


def test_a_date_inside_what_was_said_is_not_the_day_it_was_said():
    got = drafts_of("وقالت المصادر إن النص قدمته النرويج للمجلس اليوم بعد تعديلات عدة.")
    assert not any(t == "statement" for t, _, _ in got)


# ------------------------------------------------------------ a name several places share


def test_a_shared_city_name_goes_to_the_one_in_the_region_of_the_countries_named():
    # Córdoba in Argentina is the bigger; Portugal and Italy are in Spain's region
    got = drafts_of("Ministers of Portugal and Italy met in Cordoba on Monday.")
    assert ("meeting", "2023-06-12", "ESP") in got
    # a name the region knows in a country the sentence names still goes there
    got = drafts_of("وقال مصدر إن الوزراء اجتمعوا في القاهرة يوم الاثنين.")
    assert ("meeting", "2023-06-12", "EGY") in got


def test_the_spelling_jinif_is_geneva():
    got = drafts_of("بدأت المحادثات في جينيف يوم الاثنين بين الوفدين.")
    assert ("meeting", "2023-06-12", "CHE") in got


# ------------------------------------------------------- the statement of a round of talks


def test_the_day_of_a_rounds_closing_statement_dates_the_statement_not_the_round():
    got = drafts_of(
        "The participants in the Muscat talks on Tuesday issued a final statement on Yemen. "
        "The talks had begun in Muscat on Sunday."
    )
    assert ("statement", "2023-06-13", "OMN") in got or ("statement", "2023-06-13", None) in got
    assert ("meeting", "2023-06-13", "OMN") not in got
    assert ("meeting", "2023-06-11", "OMN") in got
    got = drafts_of("أكد البيان الختامي للاجتماع الوزاري اليوم الأربعاء دعم الحل السياسي.")
    assert any(t == "statement" and d == "2023-06-14" for t, d, _ in got)
    assert not any(t == "meeting" for t, _, _ in got)


def test_a_place_in_what_a_statement_says_is_not_where_it_was_issued():
    got = drafts_of(
        "أصدرت اللجنة بيانا اليوم الأربعاء، وأشار البيان إلى تشكيل مركز تنسيق في ليبيا."
    )
    assert ("statement", "2023-06-14", "LBY") not in got


def test_a_capitalised_word_that_opens_a_sentence_is_no_town():
    got = drafts_of("The talks had begun on Sunday.")
    assert ("meeting", "2023-06-11", None) in got


def test_a_lead_shooting_down_dated_by_a_later_sentence_takes_that_day():
    got = drafts_of(
        "أسقطت طائرة مسيرة قرب مطار أربيل.\n"
        "وقال مسؤولون إن الدفاعات أطلقت صواريخ لإسقاط الطائرة المسيرة مساء الاثنين."
    )
    assert ("attack", "2023-06-12", "IRQ") in got
    assert ("attack", "2023-06-14", "IRQ") not in got


def test_a_threat_to_attack_is_no_attack():
    got = drafts_of("وكان قيادي في الجماعة هدد، الجمعة، بمواصلة قصف المطارات.")
    assert not any(t == "attack" for t, _, _ in got)
    got = drafts_of("The group's leader on Friday threatened to attack more airports.")
    assert not any(t == "attack" for t, _, _ in got)


def test_fired_a_missile_with_its_day_between():
    got = drafts_of("قالت وكالة إن المسلحين أطلقوا، يوم الأحد، صاروخا على ميناء جدة.")
    assert ("attack", "2023-06-11", "SAU") in got


def test_two_attacks_of_one_day_on_towns_far_apart_stay_two():
    drafts = extract(
        "أعلن المتحدث باسم الجماعة اليوم الأربعاء إطلاق صاروخ على منشأة في مدينة جدة.\n"
        "وفي وقت سابق، قال التحالف إنه تمكن صباح اليوم الأربعاء من اعتراض طائرة مسيرة "
        "أطلقت باتجاه مدينة أبها.",
        date(2023, 6, 14),
    )
    towns = {d.location for d in drafts if d.event_type == "attack"}
    assert len(towns) == 2


def test_negotiations_are_a_meeting_word():
    got = drafts_of("The negotiations between the two delegations in Muscat on June 5-6 ended.")
    assert ("meeting", "2023-06-05", "OMN") in got


def test_before_a_date_is_a_deadline_and_a_clause_of_its_own_dates_its_own_verb():
    got = drafts_of("وسيبدأ المشاركون في المشاورات بالتوافد إلى مسقط قبل 20 من الشهر الجاري.")
    assert ("meeting", "2023-06-20", "OMN") not in got
    got = drafts_of(
        "أعلنت الأمم المتحدة أمس أن المشاورات ستنطلق في مسقط في 25 يونيو الجاري.\n"
        "وقالت إن المبعوث يعمل على إنجاح الجولة الجديدة من المشاورات، "
        "وأنه قام اليوم بدعوة الوفود."
    )
    assert not any(t == "meeting" and d == "2023-06-14" for t, d, _ in got)


def test_the_country_that_backs_a_group_is_not_where_the_attack_was():
    got = drafts_of(
        "سقط صاروخان على قاعدة في محافظة الأنبار غرب العراق يوم الأحد.\n"
        "واتهم مسؤولون فصيلا مسلحا مدعوما من إيران بتنفيذ الهجوم."
    )
    assert ("attack", "2023-06-11", "IRQ") in got
    assert not any(c == "IRN" for _, _, c in got)
    got = drafts_of("Iran-backed militias fired rockets at a base in Anbar on Sunday.")
    assert not any(c == "IRN" for _, _, c in got)


def test_about_ten_rockets_that_fell_are_an_attack():
    got = drafts_of("وشهدت القاعدة سقوط ما يقارب 10 صواريخ في شهر ديسمبر الماضي.")
    assert ("attack", "2022-12-01", None) in got or any(
        t == "attack" and d == "2022-12-01" for t, d, _ in got
    )


def test_targeted_sanctions_are_no_attack():
    got = drafts_of("The ministers on Monday agreed on targeted sanctions against the militia.")
    assert not any(t == "attack" for t, _, _ in got)


def test_a_country_that_announced_last_year_made_a_statement_that_year():
    got = drafts_of("Jordan last year announced the closure of its northern border crossing.")
    assert ("statement", "2022-01-01", "JOR") in got
    got = drafts_of("This year Nobel Peace Prize winner spoke in Oslo.")
    assert not any(d and d.startswith("2023-01-01") for _, d, _ in got)


def test_the_un_announcing_talks_to_resume_makes_a_statement_and_the_talks_are_planned():
    got = drafts_of(
        "أعلنت الأمم المتحدة، اليوم الأربعاء، أن الوفدين أكدا حضورهما إلى مسقط؛ لاستئناف "
        "المشاورات رغم تجدد القتال في شرق عدن، الأحد المقبل."
    )
    assert any(t == "statement" and d == "2023-06-14" for t, d, _ in got)
    assert ("meeting", "2023-06-18", "OMN") in got
    assert not any(c == "YEM" and t == "meeting" for t, _, c in got)
