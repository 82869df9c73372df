using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// The labels in the national languages of the five countries: Kazakh, Kyrgyz and Tajik in Cyrillic, Turkmen and
/// Uzbek in Latin script (Uzbek with the official ʻ and ʼ letters). Node labels follow each language's legal
/// style: the number before the word with a hyphen ("2-бап", "3-berene", "14-tadbir"), Tajik's izofat after it
/// ("Моддаи 3"), Turkmen with its ordinal suffix ("3-nji madda", see <see cref="ExportLanguage.TurkmenOrdinal"/>).
/// Dates put the year first where the language does ("2025 ж. 1 қаңтар", "2025-yil 1-yanvar"); month names, digit
/// grouping and the decimal comma come from the language's .NET (ICU) culture.
/// </summary>
public sealed partial record ExportLabels
{
    public static readonly ExportLabels Kazakh = new()
    {
        Part = "{0}-бөлік", Chapter = "{0}-тарау", Section = "{0}-бөлім", Article = "{0}-бап", Action = "{0}-іс-шара",
        Objective = "Мақсат", ResponsibleBodies = "Жауапты органдар", Timeline = "Орындау мерзімі", Indicator = "Көрсеткіш",
        Baseline = "бастапқы мәні", Target = "нысаналы мәні", DataSource = "деректер көзі",
        RecordedAnnually = "жыл сайын есепке алынады", NotRecordedAnnually = "жыл сайын есепке алынбайды", Budget = "Қаржыландыру",
        Pillar = "Бағыт", UseResponse = "Тұтыну үлгісі", Commitments = "Халықаралық міндеттемелер",
        SdgTargets = "ТДМ міндеттері", HumanRightsMarker = "Адам құқықтары белгісі", GenderMarker = "Гендерлік белгі",
        Evidence = "Дәлелдік негіз", CompletionForm = "Аяқталу нысаны", Yes = "иә", No = "жоқ",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Алдын алу", [Drafts.Pillar.Treatment] = "Емдеу",
            [Drafts.Pillar.HarmReduction] = "Зиянды азайту", [Drafts.Pillar.Rehabilitation] = "Оңалту",
            [Drafts.Pillar.SupplyReduction] = "Ұсынысты қысқарту", [Drafts.Pillar.CrossCutting] = "Салааралық мәселелер",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Рекреациялық тұтыну", [Drafts.UseResponse.Problematic] = "Проблемалық тұтыну",
            [Drafts.UseResponse.Both] = "Рекреациялық және проблемалық тұтыну",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Жоба әзірленуде", [DraftStatus.Consultation] = "Жоба талқылауда",
            [DraftStatus.Review] = "Жоба бекіту сатысында", [DraftStatus.Approved] = "Бекітілді",
            [DraftStatus.Withdrawn] = "Кері қайтарылды",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Стратегия", [DraftKind.ActionPlan] = "Іс-қимыл жоспары", [DraftKind.Law] = "Заң жобасы",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Қазақстан Республикасы", ["KG"] = "Қырғыз Республикасы", ["TJ"] = "Тәжікстан Республикасы",
            ["TM"] = "Түрікменстан", ["UZ"] = "Өзбекстан Республикасы",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "ағылшын тілі", ["ru"] = "орыс тілі", ["kk"] = "қазақ тілі", ["ky"] = "қырғыз тілі", ["tg"] = "тәжік тілі",
            ["tk"] = "түрікмен тілі", ["uz"] = "өзбек тілі",
        },
        DraftMark = "ЖОБА", Contents = "Мазмұны", Period = "Кезең", Status = "Мәртебесі", Date = "Күні", Revision = "Нұсқа",
        Position = "орны", ContentHash = "мазмұн", ChainHead = "тізбек басы",
        SignedHead = "қол қойылған тізімнің басы", Key = "кілт", None = "жоқ", Page = "Бет", Of = "/",
        Untranslated = "[аударылмаған; түпнұсқа: {0}]", Empty = "Бұл нұсқада әзірге мәтін жоқ.", Field = "Өріс",
        Value = "Мәні", ChangesBetween = "{0}-нұсқадан {1}-нұсқаға дейінгі өзгерістер", DateFormat = "yyyy 'ж'. d MMMM",
    };

    public static readonly ExportLabels Kyrgyz = new()
    {
        Part = "{0}-бөлүк", Chapter = "{0}-бап", Section = "{0}-бөлүм", Article = "{0}-берене", Action = "{0}-иш-чара",
        Objective = "Максат", ResponsibleBodies = "Жооптуу органдар", Timeline = "Аткаруу мөөнөтү", Indicator = "Көрсөткүч",
        Baseline = "баштапкы мааниси", Target = "максаттуу мааниси", DataSource = "маалымат булагы",
        RecordedAnnually = "жыл сайын эсепке алынат", NotRecordedAnnually = "жыл сайын эсепке алынбайт", Budget = "Каржылоо",
        Pillar = "Багыт", UseResponse = "Колдонуу үлгүсү", Commitments = "Эл аралык милдеттенмелер",
        SdgTargets = "ТӨМ милдеттери", HumanRightsMarker = "Адам укуктары белгиси", GenderMarker = "Гендердик белги",
        Evidence = "Далилдүү негиз", CompletionForm = "Аяктоо формасы", Yes = "ооба", No = "жок",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Алдын алуу", [Drafts.Pillar.Treatment] = "Дарылоо",
            [Drafts.Pillar.HarmReduction] = "Зыянды азайтуу", [Drafts.Pillar.Rehabilitation] = "Калыбына келтирүү",
            [Drafts.Pillar.SupplyReduction] = "Сунушту кыскартуу", [Drafts.Pillar.CrossCutting] = "Тармактар аралык маселелер",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Көңүл ачуу үчүн колдонуу", [Drafts.UseResponse.Problematic] = "Көйгөйлүү колдонуу",
            [Drafts.UseResponse.Both] = "Көңүл ачуу үчүн жана көйгөйлүү колдонуу",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Долбоор иштелип чыгууда", [DraftStatus.Consultation] = "Долбоор талкууланууда",
            [DraftStatus.Review] = "Долбоор бекитүү баскычында", [DraftStatus.Approved] = "Бекитилди",
            [DraftStatus.Withdrawn] = "Кайтарылып алынды",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Стратегия", [DraftKind.ActionPlan] = "Иш-аракеттер планы", [DraftKind.Law] = "Мыйзам долбоору",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Казакстан Республикасы", ["KG"] = "Кыргыз Республикасы", ["TJ"] = "Тажикстан Республикасы",
            ["TM"] = "Түркмөнстан", ["UZ"] = "Өзбекстан Республикасы",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "англис тили", ["ru"] = "орус тили", ["kk"] = "казак тили", ["ky"] = "кыргыз тили", ["tg"] = "тажик тили",
            ["tk"] = "түркмөн тили", ["uz"] = "өзбек тили",
        },
        DraftMark = "ДОЛБООР", Contents = "Мазмуну", Period = "Мезгил", Status = "Абалы", Date = "Күнү", Revision = "Нуска",
        Position = "орду", ContentHash = "мазмуну", ChainHead = "чынжырдын башы",
        SignedHead = "кол коюлган журналдын башы", Key = "ачкыч", None = "жок", Page = "Бет", Of = "/",
        Untranslated = "[которулган эмес; түп нуска: {0}]", Empty = "Бул нускада азырынча текст жок.", Field = "Талаа",
        Value = "Мааниси", ChangesBetween = "{0}-нускадан {1}-нускага чейинки өзгөртүүлөр", DateFormat = "yyyy-'ж'., d-MMMM",
    };

    public static readonly ExportLabels Tajik = new()
    {
        Part = "Қисми {0}", Chapter = "Боби {0}", Section = "Фасли {0}", Article = "Моддаи {0}", Action = "Чорабинии {0}",
        Objective = "Ҳадаф", ResponsibleBodies = "Мақомоти масъул", Timeline = "Мӯҳлати иҷро", Indicator = "Нишондиҳанда",
        Baseline = "арзиши ибтидоӣ", Target = "арзиши ҳадафӣ", DataSource = "манбаи маълумот",
        RecordedAnnually = "ҳар сол ба ҳисоб гирифта мешавад", NotRecordedAnnually = "ҳар сол ба ҳисоб гирифта намешавад",
        Budget = "Маблағгузорӣ", Pillar = "Самт", UseResponse = "Намуди истеъмол", Commitments = "Ӯҳдадориҳои байналмилалӣ",
        SdgTargets = "Вазифаҳои ҲРУ", HumanRightsMarker = "Нишонаи ҳуқуқи инсон", GenderMarker = "Нишонаи гендерӣ",
        Evidence = "Заминаи далелӣ", CompletionForm = "Шакли анҷомёбӣ", Yes = "ҳа", No = "не",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Пешгирӣ", [Drafts.Pillar.Treatment] = "Табобат",
            [Drafts.Pillar.HarmReduction] = "Коҳиш додани зарар", [Drafts.Pillar.Rehabilitation] = "Барқарорсозӣ",
            [Drafts.Pillar.SupplyReduction] = "Коҳиш додани пешниҳод", [Drafts.Pillar.CrossCutting] = "Масъалаҳои байнисоҳавӣ",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Истеъмоли фароғатӣ", [Drafts.UseResponse.Problematic] = "Истеъмоли мушкилотовар",
            [Drafts.UseResponse.Both] = "Истеъмоли фароғатӣ ва мушкилотовар",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Лоиҳа дар ҳоли таҳия", [DraftStatus.Consultation] = "Лоиҳа дар муҳокима",
            [DraftStatus.Review] = "Лоиҳа барои тасдиқ пешниҳод шудааст", [DraftStatus.Approved] = "Тасдиқ шудааст",
            [DraftStatus.Withdrawn] = "Бозхонд шудааст",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Стратегия", [DraftKind.ActionPlan] = "Нақшаи амал", [DraftKind.Law] = "Лоиҳаи қонун",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Ҷумҳурии Қазоқистон", ["KG"] = "Ҷумҳурии Қирғизистон", ["TJ"] = "Ҷумҳурии Тоҷикистон",
            ["TM"] = "Туркманистон", ["UZ"] = "Ҷумҳурии Ӯзбекистон",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "забони англисӣ", ["ru"] = "забони русӣ", ["kk"] = "забони қазоқӣ", ["ky"] = "забони қирғизӣ",
            ["tg"] = "забони тоҷикӣ", ["tk"] = "забони туркманӣ", ["uz"] = "забони ӯзбекӣ",
        },
        DraftMark = "ЛОИҲА", Contents = "Мундариҷа", Period = "Давра", Status = "Вазъ", Date = "Сана", Revision = "Таҳрир",
        Position = "мавқеъ", ContentHash = "мӯҳтаво", ChainHead = "сари занҷир",
        SignedHead = "сари имзошудаи феҳрист", Key = "калид", None = "нест", Page = "Саҳифаи", Of = "аз",
        Untranslated = "[тарҷума нашудааст; асл: {0}]", Empty = "Дар ин таҳрир ҳоло матн нест.", Field = "Майдон",
        Value = "Қимат", ChangesBetween = "Тағйирот аз таҳрири {0} то таҳрири {1}", DateFormat = "d MMMM yyyy",
    };

    public static readonly ExportLabels Turkmen = new()
    {
        Part = "{0} bölüm", Chapter = "{0} bap", Section = "{0} bölümçe", Article = "{0} madda", Action = "{0} çäre",
        Objective = "Maksat", ResponsibleBodies = "Jogapkär edaralar", Timeline = "Ýerine ýetiriş möhleti", Indicator = "Görkeziji",
        Baseline = "başlangyç bahasy", Target = "maksat bahasy", DataSource = "maglumat çeşmesi",
        RecordedAnnually = "her ýyl hasaba alynýar", NotRecordedAnnually = "her ýyl hasaba alynmaýar", Budget = "Maliýeleşdiriş",
        Pillar = "Ugur", UseResponse = "Ulanyş görnüşi", Commitments = "Halkara borçnamalar",
        SdgTargets = "DÖM wezipeleri", HumanRightsMarker = "Adam hukuklary belgisi", GenderMarker = "Gender belgisi",
        Evidence = "Subutnama binýady", CompletionForm = "Tamamlanyş görnüşi", Yes = "hawa", No = "ýok",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Öňüni alyş", [Drafts.Pillar.Treatment] = "Bejeriş",
            [Drafts.Pillar.HarmReduction] = "Zyýany azaltmak", [Drafts.Pillar.Rehabilitation] = "Dikeldiş",
            [Drafts.Pillar.SupplyReduction] = "Teklibi azaltmak", [Drafts.Pillar.CrossCutting] = "Pudagara meseleler",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Güýmenje üçin ulanyş", [Drafts.UseResponse.Problematic] = "Kynçylykly ulanyş",
            [Drafts.UseResponse.Both] = "Güýmenje üçin we kynçylykly ulanyş",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Taslama taýýarlanýar", [DraftStatus.Consultation] = "Taslama maslahatlaşylýar",
            [DraftStatus.Review] = "Taslama tassyklamaga hödürlendi", [DraftStatus.Approved] = "Tassyklandy",
            [DraftStatus.Withdrawn] = "Yzyna alyndy",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Strategiýa", [DraftKind.ActionPlan] = "Hereketler meýilnamasy", [DraftKind.Law] = "Kanun taslamasy",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Gazagystan Respublikasy", ["KG"] = "Gyrgyz Respublikasy", ["TJ"] = "Täjigistan Respublikasy",
            ["TM"] = "Türkmenistan", ["UZ"] = "Özbegistan Respublikasy",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "iňlis dili", ["ru"] = "rus dili", ["kk"] = "gazak dili", ["ky"] = "gyrgyz dili", ["tg"] = "täjik dili",
            ["tk"] = "türkmen dili", ["uz"] = "özbek dili",
        },
        DraftMark = "TASLAMA", Contents = "Mazmuny", Period = "Döwür", Status = "Ýagdaýy", Date = "Senesi", Revision = "Redaksiýa",
        Position = "orny", ContentHash = "mazmuny", ChainHead = "zynjyryň başy",
        SignedHead = "gol çekilen sanawyň başy", Key = "açar", None = "ýok", Page = "Sahypa", Of = "/",
        Untranslated = "[terjime edilmedik; asyl nusgasy: {0}]", Empty = "Bu redaksiýada entek tekst ýok.", Field = "Meýdan",
        Value = "Bahasy", ChangesBetween = "{0} we {1} redaksiýalaryň arasyndaky üýtgeşmeler", DateFormat = "d MMMM yyyy",
    };

    public static readonly ExportLabels Uzbek = new()
    {
        Part = "{0}-qism", Chapter = "{0}-bob", Section = "{0}-boʻlim", Article = "{0}-modda", Action = "{0}-tadbir",
        Objective = "Maqsad", ResponsibleBodies = "Masʼul organlar", Timeline = "Ijro muddati", Indicator = "Koʻrsatkich",
        Baseline = "boshlangʻich qiymati", Target = "maqsadli qiymati", DataSource = "maʼlumot manbai",
        RecordedAnnually = "har yili hisobga olinadi", NotRecordedAnnually = "har yili hisobga olinmaydi", Budget = "Moliyalashtirish",
        Pillar = "Yoʻnalish", UseResponse = "Isteʼmol turi", Commitments = "Xalqaro majburiyatlar",
        SdgTargets = "BRM vazifalari", HumanRightsMarker = "Inson huquqlari belgisi", GenderMarker = "Gender belgisi",
        Evidence = "Dalillar bazasi", CompletionForm = "Amalga oshirish shakli", Yes = "ha", No = "yoʻq",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Oldini olish", [Drafts.Pillar.Treatment] = "Davolash",
            [Drafts.Pillar.HarmReduction] = "Zararni kamaytirish", [Drafts.Pillar.Rehabilitation] = "Reabilitatsiya qilish",
            [Drafts.Pillar.SupplyReduction] = "Taklifni qisqartirish", [Drafts.Pillar.CrossCutting] = "Tarmoqlararo masalalar",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Koʻngilochar isteʼmol", [Drafts.UseResponse.Problematic] = "Muammoli isteʼmol",
            [Drafts.UseResponse.Both] = "Koʻngilochar va muammoli isteʼmol",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Loyiha ishlab chiqilmoqda", [DraftStatus.Consultation] = "Loyiha muhokamada",
            [DraftStatus.Review] = "Loyiha tasdiqlash bosqichida", [DraftStatus.Approved] = "Tasdiqlangan",
            [DraftStatus.Withdrawn] = "Qaytarib olingan",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Strategiya", [DraftKind.ActionPlan] = "Harakatlar rejasi", [DraftKind.Law] = "Qonun loyihasi",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Qozogʻiston Respublikasi", ["KG"] = "Qirgʻiziston Respublikasi", ["TJ"] = "Tojikiston Respublikasi",
            ["TM"] = "Turkmaniston", ["UZ"] = "Oʻzbekiston Respublikasi",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "ingliz tili", ["ru"] = "rus tili", ["kk"] = "qozoq tili", ["ky"] = "qirgʻiz tili", ["tg"] = "tojik tili",
            ["tk"] = "turkman tili", ["uz"] = "oʻzbek tili",
        },
        DraftMark = "LOYIHA", Contents = "Mundarija", Period = "Davr", Status = "Holati", Date = "Sana", Revision = "Tahrir",
        Position = "oʻrni", ContentHash = "mazmun", ChainHead = "zanjir boshi",
        SignedHead = "imzolangan roʻyxat boshi", Key = "kalit", None = "yoʻq", Page = "Sahifa", Of = "/",
        Untranslated = "[tarjima qilinmagan; asl matn: {0}]", Empty = "Ushbu tahrirda hozircha matn yoʻq.", Field = "Maydon",
        Value = "Qiymati", ChangesBetween = "{0}-tahrirdan {1}-tahrirgacha oʻzgarishlar", DateFormat = "yyyy-'yil' d-MMMM",
    };
}
