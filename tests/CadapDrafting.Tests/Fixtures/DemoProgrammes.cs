using System.Globalization;
using CadapDrafting.Import;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// Writes the demo programmes that the seeder imports from <c>seeds/word</c>: Kyrgyzstan's Anti-Drug Programme 2022-2026
/// (75 actions) and Tajikistan's strategy (43 actions for 2021-2025), in Russian and English, as ministries lay them out
/// (chapters, an action table per chapter with its columns named). Illustrative: written from the programme's seed sheet,
/// not the governments' texts.
/// </summary>
public static class DemoProgrammes
{
    private sealed record Body(string Ru, string En);

    private sealed record Country(string Code, string CurrencyRu, string CurrencyEn, Dictionary<string, Body> Bodies, Body[] Regions,
        (string Ru, string En)[] Deadlines);

    /// <summary>One measure of a plan, repeated per region with its own targets.</summary>
    private sealed record Measure(string Pillar, string Ru, string En, string ObjectiveRu, string ObjectiveEn, string[] Bodies,
        string IndicatorRu, string IndicatorEn, string Source, int Baseline, int Target, string Unit, decimal BudgetThousands, bool Donor,
        string CompletionRu, string CompletionEn, string Sdg);

    private static readonly Dictionary<string, (string Ru, string En)> Pillars = new()
    {
        ["Prevention"] = ("Профилактика", "Prevention"), ["Treatment"] = ("Лечение", "Treatment"),
        ["HarmReduction"] = ("Снижение вреда", "Harm reduction"), ["Rehabilitation"] = ("Реабилитация", "Rehabilitation"),
        ["SupplyReduction"] = ("Сокращение предложения", "Supply reduction"), ["CrossCutting"] = ("Сквозные вопросы", "Cross-cutting"),
    };

    private static readonly Country Kyrgyzstan = new("KG", "сом", "KGS", new()
    {
        ["education"] = new("Министерство образования и науки", "Ministry of Education and Science"),
        ["health"] = new("Министерство здравоохранения", "Ministry of Health"),
        ["interior"] = new("Министерство внутренних дел", "Ministry of Internal Affairs"),
        ["drugs"] = new("Служба по борьбе с наркопреступностью МВД", "Drug Crime Service of the Ministry of Internal Affairs"),
        ["customs"] = new("Государственная таможенная служба", "State Customs Service"),
        ["border"] = new("Пограничная служба", "Border Service"),
        ["justice"] = new("Министерство юстиции", "Ministry of Justice"),
        ["labour"] = new("Министерство труда, социального обеспечения и миграции", "Ministry of Labour, Social Security and Migration"),
        ["culture"] = new("Министерство культуры, информации, спорта и молодежной политики",
            "Ministry of Culture, Information, Sport and Youth Policy"),
        ["statistics"] = new("Национальный статистический комитет", "National Statistical Committee"),
        ["local"] = new("Органы местного самоуправления", "Local self-government bodies"),
        ["penitentiary"] = new("Служба исполнения наказаний", "Penitentiary Service"),
    },
    [
        new("город Бишкек и Чуйская область", "Bishkek and Chui region"),
        new("город Ош, Ошская и Джалал-Абадская области", "Osh city, Osh and Jalal-Abad regions"),
        new("Иссык-Кульская, Нарынская, Таласская и Баткенская области", "Issyk-Kul, Naryn, Talas and Batken regions"),
    ],
    [("2022–2023 гг.", "2022-2023"), ("2023–2024 гг.", "2023-2024"), ("2024–2026 гг.", "2024-2026")]);

    private static readonly Country Tajikistan = new("TJ", "сомони", "TJS", new()
    {
        ["education"] = new("Министерство образования и науки", "Ministry of Education and Science"),
        ["health"] = new("Министерство здравоохранения и социальной защиты населения", "Ministry of Health and Social Protection"),
        ["interior"] = new("Министерство внутренних дел", "Ministry of Internal Affairs"),
        ["drugs"] = new("Агентство по контролю за наркотиками", "Drug Control Agency"),
        ["customs"] = new("Таможенная служба", "Customs Service"),
        ["border"] = new("Пограничные войска ГКНБ", "Border Troops of the State Committee for National Security"),
        ["justice"] = new("Министерство юстиции", "Ministry of Justice"),
        ["labour"] = new("Министерство труда, миграции и занятости населения", "Ministry of Labour, Migration and Employment"),
        ["culture"] = new("Комитет по делам молодежи и спорта", "Committee for Youth and Sports"),
        ["statistics"] = new("Агентство по статистике", "Statistics Agency"),
        ["local"] = new("Местные исполнительные органы государственной власти", "Local executive bodies of state power"),
        ["penitentiary"] = new("Главное управление исполнения уголовных наказаний", "Main Directorate for the Execution of Criminal Sentences"),
    },
    [
        new("город Душанбе и районы республиканского подчинения", "Dushanbe and districts of republican subordination"),
        new("Согдийская область", "Sughd region"),
        new("Хатлонская область и ГБАО", "Khatlon region and GBAO"),
    ],
    [("2021–2022 гг.", "2021-2022"), ("2022–2023 гг.", "2022-2023"), ("2023–2025 гг.", "2023-2025")]);

    private static readonly Measure[] Prevention =
    [
        new("Prevention", "Внедрить программу профилактики, основанную на фактических данных, в общеобразовательных школах",
            "Introduce an evidence-based prevention programme in general schools",
            "Отсрочить начало потребления психоактивных веществ", "Delay the onset of psychoactive substance use", ["education", "health"],
            "Доля школ с программой профилактики", "Share of schools with a prevention programme", "education", 5, 60, "%", 1800, false,
            "Отчет в Кабинет Министров", "Report to the Cabinet of Ministers", "3.5"),
        new("Prevention", "Обучить школьных психологов и педагогов навыкам раннего выявления и краткого вмешательства",
            "Train school psychologists and teachers in early detection and brief intervention",
            "Выявлять риск потребления на ранней стадии", "Detect risk of use at an early stage", ["education"],
            "Число обученных специалистов", "Specialists trained", "education", 0, 400, "", 650, false,
            "Приказ министерства", "Order of the ministry", "3.5"),
        new("Prevention", "Провести информационную кампанию о рисках синтетических наркотиков в социальных сетях",
            "Run an information campaign on the risks of synthetic drugs on social media",
            "Снизить привлекательность синтетических наркотиков для молодежи", "Reduce the appeal of synthetic drugs to young people",
                ["culture", "drugs"],
            "Охват кампанией среди молодежи 15–29 лет", "Young people aged 15-29 reached", "culture", 10, 45, "%", 900, true,
            "Отчет о кампании", "Campaign report", "3.5"),
        new("Prevention", "Создать программы семейной профилактики для родителей подростков",
            "Set up family prevention programmes for parents of adolescents",
            "Укрепить защитные факторы в семье", "Strengthen protective factors in the family", ["labour", "local"],
            "Число семей, прошедших программу", "Families completing the programme", "labour", 0, 1500, "", 720, true,
            "Методические рекомендации", "Guidelines", "3.5"),
        new("Prevention", "Организовать досуговые и спортивные программы для молодежи группы риска",
            "Organise leisure and sports programmes for young people at risk",
            "Предложить альтернативы потреблению", "Offer alternatives to use", ["culture", "local"],
            "Число участников программ", "Programme participants", "culture", 800, 4000, "", 1100, false,
            "Отчет", "Report", "3.5"),
    ];

    private static readonly Measure[] Treatment =
    [
        new("Treatment", "Расширить доступ к опиоидной заместительной терапии", "Widen access to opioid agonist therapy",
            "Обеспечить лечение лицам с опиоидной зависимостью", "Provide treatment to people dependent on opioids", ["health"],
            "Число пациентов на заместительной терапии", "Patients on opioid agonist therapy", "health", 1100, 1800, "", 2600, true,
            "Приказ Министерства здравоохранения", "Order of the Ministry of Health", "3.5"),
        new("Treatment", "Внедрить клинические протоколы лечения зависимости от синтетических стимуляторов",
            "Introduce clinical protocols for treating dependence on synthetic stimulants",
            "Лечить зависимость по доказательным протоколам", "Treat dependence by evidence-based protocols", ["health"],
            "Доля наркологических служб, применяющих протоколы", "Share of addiction services applying the protocols", "health", 0, 80, "%", 400,
                false,
            "Утвержденные протоколы", "Approved protocols", "3.5"),
        new("HarmReduction", "Обеспечить бесплатную выдачу налоксона лицам, употребляющим опиоиды, и их близким",
            "Provide naloxone free of charge to people who use opioids and their families",
            "Предотвращать смерти от передозировки", "Prevent overdose deaths", ["health", "local"],
            "Число выданных наборов налоксона", "Naloxone kits distributed", "health", 2000, 9000, "", 1300, true,
            "Отчет", "Report", "3.3"),
        new("HarmReduction", "Поддержать программы обмена игл и шприцев, в том числе в учреждениях исполнения наказаний",
            "Support needle and syringe programmes, including in prisons",
            "Снизить передачу ВИЧ и гепатита C", "Reduce transmission of HIV and hepatitis C", ["health", "penitentiary"],
            "Число шприцев на одного потребителя инъекционных наркотиков в год", "Syringes per person who injects drugs per year", "health", 90, 200,
                "", 1500, true,
            "Отчет о программе", "Programme report", "3.3"),
        new("Rehabilitation", "Открыть центры социальной реабилитации и реинтеграции с участием НКО",
            "Open social rehabilitation and reintegration centres run with NGOs",
            "Вернуть людей после лечения к работе и учебе", "Bring people back to work and study after treatment", ["labour", "health"],
            "Доля клиентов, трудоустроенных через 12 месяцев", "Clients employed after 12 months", "labour", 15, 40, "%", 2100, true,
            "Постановление Кабинета Министров", "Cabinet resolution", "8.5"),
    ];

    private static readonly Measure[] Supply =
    [
        new("SupplyReduction", "Оснастить пункты пропуска современным досмотровым оборудованием",
            "Equip border crossing points with modern inspection equipment",
            "Пресекать контрабанду наркотиков на границе", "Stop drug smuggling at the border", ["customs", "border"],
            "Число пунктов пропуска с досмотровыми комплексами", "Crossing points with inspection systems", "customs", 3, 12, "", 5400, true,
            "Акт приемки", "Acceptance certificate", "16.4"),
        new("SupplyReduction", "Создать межведомственные мобильные группы по выявлению каналов поставки",
            "Set up inter-agency mobile teams to detect supply routes",
            "Разрушать каналы поставки", "Disrupt supply routes", ["drugs", "customs", "border"],
            "Число выявленных каналов поставки", "Supply routes detected", "drugs", 20, 45, "", 1200, false,
            "Совместный приказ", "Joint order", "16.4"),
        new("SupplyReduction", "Внедрить мониторинг онлайн-рынков наркотиков и криптовалютных платежей",
            "Introduce monitoring of online drug markets and cryptocurrency payments",
            "Противодействовать онлайн-торговле наркотиками", "Counter online drug trade", ["drugs", "interior"],
            "Число заблокированных интернет-ресурсов", "Online resources blocked", "drugs", 150, 600, "", 980, false,
            "Отчет", "Report", "16.4"),
        new("SupplyReduction", "Ввести контроль прекурсоров и новых психоактивных веществ по системе раннего предупреждения",
            "Control precursors and new psychoactive substances through an early warning system",
            "Оперативно включать новые вещества в списки контроля", "List new substances for control quickly", ["health", "drugs", "justice"],
            "Средний срок включения нового вещества в списки, месяцев", "Average months to list a new substance", "justice", 14, 4, "", 450, false,
            "Постановление Кабинета Министров", "Cabinet resolution", "16.4"),
        new("SupplyReduction", "Провести обучение следователей по финансовым расследованиям наркопреступлений",
            "Train investigators in financial investigation of drug crime",
            "Выявлять и конфисковать доходы от наркопреступлений", "Trace and confiscate proceeds of drug crime", ["interior", "justice"],
            "Число обученных следователей", "Investigators trained", "interior", 0, 150, "", 380, true,
            "Сертификаты", "Certificates", "16.4"),
    ];

    private static readonly Measure[] CrossCutting =
    [
        new("CrossCutting", "Проводить национальное исследование распространенности потребления наркотиков",
            "Carry out a national survey of drug use prevalence",
            "Опирать политику на данные", "Base policy on data", ["health", "statistics"],
            "Проведенные исследования", "Surveys completed", "statistics", 0, 2, "", 1600, true,
            "Национальный доклад о наркоситуации", "National drug report", "3.5"),
        new("CrossCutting", "Пересмотреть нормы об альтернативах наказанию для лиц, употребляющих наркотики",
            "Review the rules on alternatives to punishment for people who use drugs",
            "Направлять на лечение вместо наказания", "Refer to treatment instead of punishment", ["justice", "interior", "health"],
            "Число лиц, направленных на лечение вместо наказания", "People referred to treatment instead of punishment", "justice", 40, 400, "", 300,
                false,
            "Проект закона", "Draft law", "16.3"),
        new("CrossCutting", "Создать единый реестр индикаторов программы с ежегодной публикацией данных",
            "Create a single register of programme indicators with yearly publication of data",
            "Сделать индикаторы измеримыми каждый год", "Make indicators measurable every year", ["statistics", "drugs"],
            "Доля индикаторов программы с ежегодными данными", "Programme indicators with yearly data", "statistics", 40, 100, "%", 350, false,
            "Реестр индикаторов", "Indicator register", "17.18"),
        new("CrossCutting", "Обеспечить участие гражданского общества в межведомственном координационном совете",
            "Include civil society in the inter-agency coordination council",
            "Укрепить партнерство государства и гражданского общества", "Strengthen partnership between government and civil society",
                ["drugs", "local"],
            "Число заседаний совета с участием НКО", "Council meetings with NGOs taking part", "drugs", 0, 4, "", 90, false,
            "Протокол заседания", "Minutes of the meeting", "17.17"),
        new("CrossCutting", "Обмениваться опытом с государствами Центральной Азии и ЕС в рамках CADAP",
            "Exchange experience with Central Asian and EU states through CADAP",
            "Перенимать надлежащую практику", "Take up good practice", ["drugs", "health"],
            "Число совместных мероприятий", "Joint events held", "drugs", 2, 8, "", 250, true,
            "Отчет о сотрудничестве", "Cooperation report", "17.16"),
    ];

    private static readonly Measure[] International =
    [
        new("SupplyReduction", "Проводить совместные операции с соседними государствами по перекрытию маршрутов наркотрафика",
            "Hold joint operations with neighbouring states to close trafficking routes",
            "Перекрыть северный маршрут наркотрафика", "Close the northern trafficking route", ["drugs", "border"],
            "Число совместных операций", "Joint operations held", "drugs", 2, 10, "", 800, true,
            "Совместный отчет", "Joint report", "16.4"),
        new("CrossCutting", "Подключить национальный центр мониторинга к обмену данными с EUDA",
            "Connect the national monitoring centre to data exchange with the EUDA",
            "Сопоставлять данные с европейскими", "Make data comparable with European data", ["health", "statistics"],
            "Число ключевых индикаторов EUDA, представляемых ежегодно", "EUDA key indicators reported yearly", "statistics", 1, 5, "", 300, true,
            "Меморандум о сотрудничестве", "Memorandum of cooperation", "17.18"),
        new("Treatment", "Провести стажировки специалистов наркологической службы в государствах ЕС",
            "Send addiction service specialists on placements in EU member states",
            "Перенять доказательные методы лечения", "Adopt evidence-based treatment methods", ["health"],
            "Число специалистов, прошедших стажировку", "Specialists completing placements", "health", 0, 60, "", 420, true,
            "Отчет о стажировке", "Placement report", "3.5"),
        new("Prevention", "Адаптировать европейские стандарты качества профилактики", "Adapt the European prevention quality standards",
            "Повысить качество профилактических программ", "Raise the quality of prevention programmes", ["education", "health"],
            "Доля программ профилактики, оцененных по стандартам", "Prevention programmes assessed against the standards", "education", 0, 50, "%",
                200, true,
            "Национальные стандарты", "National standards", "3.5"),
        new("CrossCutting", "Проводить ежегодную региональную конференцию по обмену надлежащей практикой",
            "Hold a yearly regional conference on exchanging good practice",
            "Распространять надлежащую практику в Центральной Азии", "Spread good practice across Central Asia", ["drugs", "culture"],
            "Число практик, внесенных в библиотеку надлежащей практики", "Practices added to the good-practice library", "drugs", 3, 20, "", 350,
                true,
            "Сборник материалов конференции", "Conference proceedings", "17.16"),
    ];

    public sealed record Programme(string Key, byte[] Russian, byte[] English, int Actions);

    public static IEnumerable<(string FileName, byte[] Content)> Files()
    {
        foreach (var programme in new[] { KyrgyzProgramme(), TajikStrategy() })
        {
            yield return ($"{programme.Key}.ru.docx", programme.Russian);
            yield return ($"{programme.Key}.en.docx", programme.English);
        }
    }

    private sealed record Chapter(string Ru, string En, Measure[] Measures, int Count);

    /// <summary>Five chapters of five measures, each carried out in three groups of regions: 75 actions.</summary>
    public static Programme KyrgyzProgramme()
    {
        Chapter[] chapters =
        [
            new("Снижение спроса: профилактика", "Demand reduction: prevention", Prevention, 15),
            new("Лечение, снижение вреда и реабилитация", "Treatment, harm reduction and rehabilitation", Treatment, 15),
            new("Сокращение предложения", "Supply reduction", Supply, 15),
            new("Данные, право и координация", "Data, law and coordination", CrossCutting, 15),
            new("Международное и региональное сотрудничество", "International and regional cooperation", International, 15),
        ];
        byte[] Write(bool russian)
        {
            var word = new WordWriter()
                .Title(russian
                    ? "Программа Кабинета Министров Кыргызской Республики по противодействию наркотикам на 2022–2026 годы (иллюстративный " +
                        "демонстрационный пример)"
                    : "Anti-Drug Programme of the Cabinet of Ministers of the Kyrgyz Republic 2022-2026 (illustrative demo)")
                .Paragraph(russian
                    ? "Иллюстративный пример, составленный по материалам программы CADAP. Не является официальным документом."
                    : "An illustrative example written from the CADAP programme's materials. Not an official document.");
            var number = 0;
            for (var c = 0; c < chapters.Length; c++)
            {
                var chapter = chapters[c];
                word.Heading(1, russian ? $"Глава {c + 1}. {chapter.Ru}" : $"Chapter {c + 1}. {chapter.En}");
                word.Table(Header(russian), Rows(Kyrgyzstan, chapter, c + 1, russian, 2022, 2026, ref number, withRegionRows: true));
            }
            return word.ToBytes();
        }
        return new Programme("kg-anti-drug-programme", Write(true), Write(false), 75);
    }

    /// <summary>The strategy's goals as articles, then its actions for 2021-2025 in four chapters: 43 actions.</summary>
    public static Programme TajikStrategy()
    {
        Chapter[] chapters =
        [
            new("Снижение спроса", "Demand reduction", Prevention, 12),
            new("Лечение, снижение вреда и реабилитация", "Treatment, harm reduction and rehabilitation", Treatment, 11),
            new("Сокращение предложения и кибербезопасность", "Supply reduction and cyber security", Supply, 12),
            new("Управление, данные и сотрудничество", "Governance, data and cooperation", CrossCutting, 8),
        ];
        (string Ru, string En)[] goals =
        [
            ("Стратегия обеспечивает безопасность и здоровье населения с учетом национальной и международной практики.",
                "The Strategy ensures the security and health of the population, drawing on national and international practice."),
            ("Меры пересматриваются с учетом новых моделей потребления, включая синтетические наркотики.",
                "Measures are reviewed against emerging patterns of use, including synthetic drugs."),
            ("Противодействие онлайн-рынкам наркотиков является частью кибербезопасности государства.",
                "Countering online drug markets is part of the state's cyber security."),
        ];
        byte[] Write(bool russian)
        {
            var word = new WordWriter();
            var list = word.List(("decimal", "%1."));
            word.Title(russian
                    ? "Национальная стратегия Республики Таджикистан по контролю над наркотиками на 2021–2030 годы: меры на 2021–2025 годы " +
                        "(иллюстративный демонстрационный пример)"
                    : "National Drug Control Strategy of the Republic of Tajikistan 2021-2030: actions for 2021-2025 (illustrative demo)")
                .Paragraph(russian
                    ? "Иллюстративный пример, составленный по материалам программы CADAP. Не является официальным документом."
                    : "An illustrative example written from the CADAP programme's materials. Not an official document.")
                .Heading(1, russian ? "Раздел I. Стратегические цели" : "Part I. Strategic goals");
            foreach (var goal in goals) word.Paragraph(russian ? goal.Ru : goal.En, list);
            word.Heading(1, russian ? "Раздел II. Меры на 2021–2025 годы" : "Part II. Actions for 2021-2025");
            var number = 0;
            for (var c = 0; c < chapters.Length; c++)
            {
                var chapter = chapters[c];
                word.Heading(2, russian ? $"Глава {c + 1}. {chapter.Ru}" : $"Chapter {c + 1}. {chapter.En}");
                word.Table(Header(russian), Rows(Tajikistan, chapter, c + 1, russian, 2021, 2025, ref number, withRegionRows: false));
            }
            return word.ToBytes();
        }
        return new Programme("tj-national-strategy", Write(true), Write(false), 43);
    }

    private static string[] Header(bool russian) => russian
        ? ["№", "Мероприятие", "Цель", "Срок исполнения", "Ответственные исполнители", "Индикатор", "Источник финансирования", "Форма завершения",
            "Направление", "ЦУР"]
        : ["No.", "Action", "Objective", "Deadline", "Responsible", "Indicator", "Funding", "Form of completion", "Pillar", "SDG"];

    private static List<IReadOnlyList<string>> Rows(Country country, Chapter chapter, int chapterNumber, bool russian, int start, int end,
        ref int number,
        bool withRegionRows)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (var i = 0; i < chapter.Count; i++)
        {
            var region = i / chapter.Measures.Length % country.Regions.Length;
            var measure = chapter.Measures[i % chapter.Measures.Length];
            if (withRegionRows && i % chapter.Measures.Length == 0)
                rows.Add([$"{chapterNumber}.{region + 1}. {(russian ? country.Regions[region].Ru : country.Regions[region].En)}"]);
            number++;
            var share = region + 1;
            var target = measure.Unit == "%" ? measure.Target : measure.Baseline > measure.Target
                ? measure.Target : measure.Baseline + (measure.Target - measure.Baseline) * share / country.Regions.Length;
            var baseline = $"{Amount(measure.Baseline, russian)}{measure.Unit} ({start - 1})";
            var goal = $"{Amount(target, russian)}{measure.Unit} ({end})";
            var source = country.Bodies[measure.Source];
            var budget = measure.BudgetThousands * 1000 * (4 - share) / 3;
            var where = russian ? country.Regions[region].Ru : country.Regions[region].En;
            var deadline = country.Deadlines[region];
            var pillar = Pillars[measure.Pillar];
            rows.Add(russian
                ? [
                    number.ToString(), $"{measure.Ru}: {where}.", measure.ObjectiveRu, deadline.Ru,
                    string.Join("; ", measure.Bodies.Select(b => country.Bodies[b].Ru)),
                    $"{measure.IndicatorRu} (базовое значение: {baseline}; целевое значение: {goal}; источник: {source.Ru}; ежегодно)",
                    $"{Amount(budget, true)} {country.CurrencyRu} ({(measure.Donor ? "донорские средства" : "республиканский бюджет")})",
                    measure.CompletionRu, pillar.Ru, measure.Sdg,
                ]
                : [
                    number.ToString(), $"{measure.En}: {where}.", measure.ObjectiveEn, deadline.En,
                    string.Join("; ", measure.Bodies.Select(b => country.Bodies[b].En)),
                    $"{measure.IndicatorEn} (baseline: {baseline}; target: {goal}; source: {source.En}; annually)",
                    $"{country.CurrencyEn} {Amount(budget, false)} ({(measure.Donor ? "donor funds" : "state budget")})",
                    measure.CompletionEn, pillar.En, measure.Sdg,
                ]);
        }
        return rows;
    }

    /// <summary>"2 400 000" in Russian, "2,400,000" in English.</summary>
    private static string Amount(decimal value, bool russian) =>
        Math.Round(value).ToString("#,0", russian ? new NumberFormatInfo { NumberGroupSeparator = " " } : CultureInfo.InvariantCulture);
}
