using Bulwark.Core.Signals.Classifiers;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>The word classes the analyser reads; a word can be in several.</summary>
[Flags]
internal enum W : ulong
{
    None = 0,
    FirstSingular = 1UL << 0,   // i, io, im (I'm), ill (I'll), id (I'd)
    FirstPlural = 1UL << 1,     // we, noi
    Lets = 1UL << 2,            // lets (let's)
    SecondPerson = 1UL << 3,    // you, u, tu, voi
    ThirdPerson = 1UL << 4,     // he, she, they, lui, lei, loro
    Future = 1UL << 5,          // will, shall, gonna, ill, well (we'll), youll
    Volition = 1UL << 6,        // want, wanna, going, intend, plan, about, ready, promise, swear
    Conditional = 1UL << 7,     // would, could, might, id
    Obligation = 1UL << 8,      // must, should, need, have to, gotta, ought
    Deserve = 1UL << 9,         // deserve(s), merita(no)
    Chain = 1UL << 10,          // words that may stand between a subject and its verb: to, be, just, really, all…
    Negator = 1UL << 11,
    Reporting = 1UL << 12,      // said, told, wrote, threatened, detto, scritto…
    Caller = 1UL << 13,         // someone, every, all, brothers, qualcuno, ogni, fratelli…
    Person = 1UL << 14,         // a human target: you, him, them, teacher, infedeli…
    Group = 1UL << 15,          // a group target: infidels, jews, gli infedeli…
    Place = 1UL << 16,          // station, school, sinagoga…
    Self = 1UL << 17,           // me, myself, us, ourselves
    Time = 1UL << 18,           // tomorrow, friday, domani, venerdì…
    TimeLead = 1UL << 19,       // next, this, on, at, alle, ore: extend a time phrase
    PlaceLead = 1UL << 20,      // at, in, outside, front, of, the, davanti, alla: extend a place phrase
    Determiner = 1UL << 21,     // the, those, il, gli…
    Praise = 1UL << 22,         // martyr, hero, martire, eroe…
    AttackRef = 1UL << 23,      // attack, bombing, attentatore, strage…
    Designated = 1UL << 24,     // isis, daesh, caliphate, califfato…
    Victim = 1UL << 25,         // victims, vittime, firefighters…
    Counter = 1UL << 26,        // murderer, coward, condemn, assassino…
    News = 1UL << 27,           // police, reported, according, polizia, secondo…
    Join = 1UL << 28,           // join, unisciti, arruolati, pledge…
    Cause = 1UL << 29,          // caliphate, mujahideen, jihad, ranks, fratelli…
    Game = 1UL << 30,           // game, match, level, partita, campionato, song…
    NominalAct = 1UL << 31,     // massacre, bloodbath, strage, bagno (di sangue)…
    Doom = 1UL << 32,           // dead, next (you're dead / you're next), morto
    Die = 1UL << 33,            // die, dies, morire, muoiano
    Be = 1UL << 34,             // be, is, are, essere, sono…
    ItalianAux = 1UL << 35,     // an Italian modal or auxiliary form (volere, dovere, stare, andare, venire, fare, dare, meritare)
    Past = 1UL << 36,           // has, have, had, ha, ho, hanno, abbiamo (with a participle: a past act)
    ProcliticSecond = 1UL << 37,// ti, vi, te, ve
    ProcliticThird = 1UL << 38, // lo, la, li, le, gli
    ProcliticFirst = 1UL << 39, // mi, ci, me
    ProcliticSelf = 1UL << 40,  // si
    CallPhrase = 1UL << 41,     // bisogna, bisognerebbe, occorre, time (it's time to), ora (è ora di)
    Death = 1UL << 42,          // death, morte (death to X, a morte X)
    Particle = 1UL << 43,       // up, down, over, into, out, off, fire, aria, fuoco, fuori
    Conjunction = 1UL << 44,    // and, e, then
    Question = 1UL << 45,       // who, why, should? — unused for scoring, kept for tests
    Interjection = 1UL << 46,   // ammazza (as "wow"), lol
    Known = 1UL << 47,          // where (know where you live), so (I know), dove
    Weapon = 1UL << 48,         // knife, gun, rifle, petrol, machete, coltello, pistola, benzina… (a means of attack)
    BodyPart = 1UL << 49,       // neck, throat, skull, face, gut, collo, gola, testa… (where a blow is aimed)
    Crowd = 1UL << 50,          // busiest, crowded, packed, full, everywhere, piena, affollata… (choosing many victims)
    Possessive = 1UL << 51,     // your, ur, his, her, their, tua, sua… (whose body part)
}

/// <summary>Where a violent verb may aim: at people, at places, or both.</summary>
[Flags]
internal enum TargetKinds : byte { None = 0, People = 1, Places = 2, Both = People | Places }

/// <summary>A violent act: its lemma, how explicit it is, what it can be aimed at, a particle it needs ("blow" only with "up"),
/// and objects that make it an idiom ("kill time", "murder a pizza", "sparare cazzate").</summary>
internal sealed record ActInfo(string Lemma, bool Strong, TargetKinds Targets, string? Needs = null, string[]? IdiomObjects = null, string Language = "en");

/// <summary>One entry of the analyser's dictionary.</summary>
internal sealed class Lex
{
    public W Flags;
    public ActInfo? Act;              // the word is a form of a violent verb
    public EnglishForm English;      // its English form, when it is English
    public ItalianForm Italian;      // its Italian forms, when it is Italian
    public string? ItalianLemma;     // an Italian verb's lemma (acts and auxiliaries)
}

/// <summary>
/// The analyser's word lists in English and Italian, normalised as <see cref="TextNormalizer"/> produces words (lowercase,
/// no diacritics, apostrophes dropped: "I'll" → "ill"). Violent verbs are inflected by rule (<see cref="EnglishVerbs"/>) or
/// read from the generated Italian table (<see cref="ItalianVerbs"/>); everything else is a closed class listed here.
/// Protected groups come from <see cref="TargetLexicon"/>.
/// </summary>
internal static class SpeechLexicon
{
    /// <summary>Words after which the next content word is the head of an object noun phrase (see the analyser's OpenObject).</summary>
    internal static readonly HashSet<string> ObjectLeads = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "some", "any", "every", "each", "that", "those", "these", "this", "my", "his", "her", "their", "your", "ur", "our", "all", "few",
        "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "qualche", "ogni", "quel", "quei", "quegli", "quello", "quella", "quelle",
        "questo", "questa", "questi", "queste", "al", "allo", "alla", "ai", "agli", "alle", "all", "del", "dello", "della", "dei", "degli", "delle",
        "tuo", "tua", "tuoi", "tue", "suo", "sua", "suoi", "sue", "mio", "mia", "miei", "loro", "certi", "alcuni", "tutti", "tutte",
    };

    /// <summary>
    /// Objects of violent verbs that are not people: things, animals and pests, time, software, food, games and sport, tasks.
    /// "kill the process", "ammazzare il tempo", "shot 400 photos", "ammazziamo il maiale", "killed the final boss".
    /// </summary>
    internal static readonly HashSet<string> NonHumanObjects = new(StringComparer.Ordinal)
    {
        "time", "process", "processes", "thread", "threads", "task", "tasks", "job", "jobs", "script", "scripts", "server", "servers", "app", "apps",
        "program", "programs", "bug", "bugs", "battery", "engine", "lights", "light", "music", "mood", "vibe", "vibes", "conversation", "deal",
        "project", "idea", "joke", "exam", "test", "interview", "presentation", "song", "track", "set", "photo", "photos", "picture", "pictures",
        "video", "videos", "scene", "scenes", "film", "movie", "shot", "shots", "ball", "goal", "penalty", "game", "games", "match", "round", "level",
        "boss", "bosses", "zombie", "zombies", "monster", "monsters", "dragon", "dragons", "enemy", "enemies", "mob", "mobs", "npc", "npcs", "raid",
        "chicken", "chickens", "pig", "pigs", "hog", "hogs", "lamb", "cow", "turkey", "fish", "deer", "rabbit", "rabbits", "boar", "duck", "ducks",
        "wasps", "wasp", "flies", "fly", "mosquito", "mosquitoes", "ants", "cockroach", "cockroaches", "rats", "rat", "mice", "mouse", "weeds", "spider",
        "pizza", "burger", "beer", "cake", "onion", "onions", "garlic", "meat", "steak", "dinner", "lunch", "breakfast", "leftovers",
        "competition", "opposition", "defence", "defense", "deadline", "hangover", "hunger", "boredom", "pain", "noise",
        "tempo", "processo", "processi", "compito", "compiti", "progetto", "esame", "esami", "partita", "partite", "gioco", "livello", "foto",
        "canzone", "pezzo", "film", "scena", "palla", "pallone", "gol", "rigore", "mostro", "mostri", "drago", "nemico", "nemici", "zombi",
        "maiale", "maiali", "pollo", "polli", "agnello", "tacchino", "pesce", "cinghiale", "cinghiali", "coniglio", "conigli", "anatra", "vitello",
        "vespe", "vespa", "mosche", "mosca", "zanzare", "zanzara", "formiche", "scarafaggi", "topo", "topi", "ratti", "ragno", "erbacce",
        "noia", "fame", "sete", "dolore", "rumore", "traffico", "caldo", "freddo", "lunedi", "sonno", "silenzio", "cena", "pranzo", "birra",
        "cipolla", "aglio", "carne", "torta", "avanzi", "batteria", "motore", "luce", "luci", "musica", "server", "bug", "script", "difesa",
    };

    internal static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ObjectLeadLookup = ObjectLeads.GetAlternateLookup<ReadOnlySpan<char>>();
    internal static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NonHumanLookup = NonHumanObjects.GetAlternateLookup<ReadOnlySpan<char>>();

    // ---- violent acts ----
    private static readonly string[] KillIdioms = ["time", "mood", "vibe", "vibes", "lights", "light", "engine", "battery", "buzz", "joke", "process", "app", "germs", "bacteria", "weeds", "pain", "conversation", "boredom", "silence", "noise", "music", "motor", "switch", "bill", "deal", "story", "thread", "chat", "game", "round", "level", "boss", "zombies", "zombie", "enemies", "monsters", "dragon", "npc", "npcs", "bots", "bot", "spider", "mosquito", "fly", "flies", "bugs", "plant", "plants", "diet", "mojo", "myself"];
    private static readonly string[] MurderIdioms = ["pizza", "burger", "beer", "pint", "drink", "curry", "kebab", "sandwich", "song", "karaoke", "tea", "coffee", "steak", "chips", "fries", "wine"];
    private static readonly string[] ShootIdioms = ["message", "text", "email", "mail", "dm", "dms", "shot", "video", "film", "movie", "scene", "photo", "photos", "pics", "pic", "picture", "pictures", "hoops", "pool", "breeze", "shit", "look", "glance", "question", "smile", "line", "moon", "stars", "footage", "episode", "commercial", "ad", "vlog", "clip", "reel", "selfie", "wedding", "portrait", "goal", "ball", "penalty", "basket", "three", "free", "arrow", "target", "targets", "cans", "bottles", "clay", "range", "deer", "ducks", "rabbits", "birds", "game"];
    private static readonly string[] BombIdioms = ["test", "exam", "interview", "audition", "quiz", "presentation", "speech", "gig", "show"];
    private static readonly string[] BurnIdioms = ["calories", "fat", "cd", "cds", "dvd", "money", "cash", "bridges", "rubber", "candle", "candles", "incense", "toast", "rice", "dinner", "food", "cake", "pizza", "sun", "skin", "tongue", "mouth", "midnight", "oil", "fuel", "wood", "logs", "leaves", "trash", "rubbish", "garbage", "out", "fingers", "finger", "hand"];
    private static readonly string[] ExecuteIdioms = ["plan", "plans", "code", "order", "orders", "strategy", "script", "trade", "trades", "command", "commands", "program", "query", "task", "tasks", "move", "moves", "play", "plays", "idea", "vision", "contract", "will", "trick", "combo", "routine", "project", "function", "test", "tests"];
    private static readonly string[] BlowIdioms = ["phone", "balloon", "balloons", "instagram", "twitter", "internet", "tiktok", "mind", "minds", "nose", "kiss", "kisses", "candles", "whistle", "bubbles", "horn", "trumpet", "money", "chance", "cover", "fuse", "picture", "photo", "image"];
    private static readonly string[] HangIdioms = ["out", "around", "on", "up", "together", "tight", "loose", "picture", "pictures", "painting", "curtains", "clothes", "laundry", "washing", "coat", "lights", "decorations", "poster", "sign", "head"];
    private static readonly string[] RunIdioms = ["time", "budget", "limit", "schedule", "notes", "details", "plan", "lines", "script"];
    private static readonly string[] AttackIdioms = ["problem", "problems", "issue", "ball", "goal", "basket", "day", "task", "hill", "question", "argument", "plan"];
    private static readonly string[] HurtIdioms = ["feelings", "feeling", "ego", "pride", "chances", "sales", "business", "economy"];

    private static readonly ActInfo[] EnglishActs =
    [
        new("kill", true, TargetKinds.People, IdiomObjects: KillIdioms), new("murder", true, TargetKinds.People, IdiomObjects: MurderIdioms),
        new("slaughter", true, TargetKinds.People), new("massacre", true, TargetKinds.People), new("execute", true, TargetKinds.People, IdiomObjects: ExecuteIdioms),
        new("behead", true, TargetKinds.People), new("decapitate", true, TargetKinds.People), new("stab", true, TargetKinds.People),
        new("knife", true, TargetKinds.People), new("shank", true, TargetKinds.People), new("shoot", true, TargetKinds.Both, IdiomObjects: ShootIdioms),
        new("gun", true, TargetKinds.People, Needs: "down"), new("mow", true, TargetKinds.People, Needs: "down"), new("strangle", true, TargetKinds.People),
        new("lynch", true, TargetKinds.People), new("hang", true, TargetKinds.People, IdiomObjects: HangIdioms), new("bomb", true, TargetKinds.Both, IdiomObjects: BombIdioms),
        new("blow", true, TargetKinds.Both, Needs: "up", IdiomObjects: BlowIdioms), new("burn", true, TargetKinds.Both, IdiomObjects: BurnIdioms), new("torch", true, TargetKinds.Both),
        new("exterminate", true, TargetKinds.People), new("assassinate", true, TargetKinds.People), new("slay", true, TargetKinds.People),
        new("butcher", true, TargetKinds.People), new("gas", true, TargetKinds.People), new("rape", true, TargetKinds.People), new("torture", true, TargetKinds.People),
        new("run", true, TargetKinds.People, Needs: "over", IdiomObjects: RunIdioms), new("drive", true, TargetKinds.Both, Needs: "into"), new("ram", true, TargetKinds.Both, Needs: "into"),
        new("plough", true, TargetKinds.Both, Needs: "into"), new("plow", true, TargetKinds.Both, Needs: "into"), new("slit", true, TargetKinds.People),
        new("wipe", true, TargetKinds.People, Needs: "out"), new("hurt", false, TargetKinds.People, IdiomObjects: HurtIdioms), new("attack", false, TargetKinds.Both, IdiomObjects: AttackIdioms),
        new("beat", true, TargetKinds.People, Needs: "death"), new("eliminate", false, TargetKinds.People), new("punch", false, TargetKinds.People),
        new("choke", false, TargetKinds.People), new("cut", true, TargetKinds.People, Needs: "throat|throats|head|heads|open"),
        new("set", true, TargetKinds.Both, Needs: "fire"), new("open", true, TargetKinds.Both, Needs: "fire"), new("put", true, TargetKinds.People, Needs: "bullet|bullets"),
        new("plant", true, TargetKinds.Places, Needs: "bomb|bombs"), new("crucify", true, TargetKinds.People), new("strike", false, TargetKinds.Both, IdiomObjects: ["deal", "pose", "balance", "chord", "match", "gold", "out", "bargain", "note", "lucky", "conversation", "fear", "back", "first", "while", "twelve", "again", "oil", "nerve"]), new("stone", true, TargetKinds.People, IdiomObjects: ["fruit", "cherries", "olives"]),
        // Acts that need their completing particle or body part: "drown your kids", "cave your skull in", "smash your face in",
        // "cut you open", "fuck you up", "hunt them down"; "pop" (slang: shoot) only with a person object.
        new("throw", true, TargetKinds.Both, Needs: "bomb|bombs|molotov|molotovs|grenade|grenades|acid"), new("drown", true, TargetKinds.People, IdiomObjects: ["sorrows", "sorrow", "out", "noise", "voices", "fries", "salad", "pancakes"]),
        new("cave", true, TargetKinds.People, Needs: "in"), new("smash", true, TargetKinds.People, Needs: "face|head|skull|teeth|in"),
        new("fuck", false, TargetKinds.People, Needs: "up"), new("hunt", true, TargetKinds.People, Needs: "down"),
        new("pop", true, TargetKinds.People, IdiomObjects: ["question", "pill", "pills", "champagne", "bottle", "cork", "popcorn", "corn", "balloon", "balloons", "collar", "zit", "pimple", "tags", "smoke", "cherry", "art", "tab", "in", "by", "round", "off", "over", "up", "quiz"]),
    ];

    private static readonly string[] ItalianSparareIdioms = ["cazzate", "cazzata", "stronzate", "stronzata", "balle", "cavolate", "cavolata", "fesserie", "minchiate", "zero", "grossa", "grosse", "numeri", "prezzi", "musica", "volume", "botti", "fuochi", "petardi", "bassi", "rigore", "gol", "palla", "tiro"];
    private static readonly string[] ItalianAmmazzareIdioms = ["baci", "coccole", "solletico", "abbracci", "risate", "lavoro", "tempo", "noia", "campionato", "attesa", "partita", "zanzare", "zanzara", "mosche", "mosca", "zombie", "boss", "mostri", "fame", "sete"];
    private static readonly string[] ItalianBruciareIdioms = ["tappe", "tempi", "calorie", "grassi", "soldi", "pasta", "arrosto", "cena", "pranzo", "torta", "sugo", "legna", "foglie", "incenso", "candela", "candele", "ponti", "occasione", "occasioni", "gola", "pelle", "lingua"];
    private static readonly string[] ItalianColpireIdioms = ["palla", "pallone", "palo", "traversa", "bersaglio", "segno", "nel", "tasto", "chiodo"];
    private static readonly string[] ItalianEliminareIdioms = ["file", "foto", "account", "post", "commento", "messaggio", "app", "grassi", "zuccheri", "glutine", "problema", "sprechi", "tasse", "squadra", "champions", "coppa", "torneo", "campionato"];
    private static readonly string[] ItalianAttaccareIdioms = ["bottone", "spina", "adesivo", "poster", "quadro", "manifesto", "figurine", "palla", "discorso", "lavoro", "turno", "telefono", "cellulare", "caricatore"];
    private static readonly string[] ItalianInvestireIdioms = ["soldi", "borsa", "azioni", "tempo", "risorse", "euro", "milioni", "fondi", "energie", "capitale", "immobili", "oro", "bitcoin", "crypto"];
    private static readonly string[] ItalianDistruggereIdioms = ["partita", "avversari", "squadra", "classifica", "record"];

    /// <summary>Italian act lemmas (the generated table holds their forms). "esplodere", "saltare" and "morire" are acts only
    /// in the constructions the analyser reads ("far saltare", "farsi esplodere", "meritano di morire").</summary>
    private static readonly ActInfo[] ItalianActs =
    [
        new("uccidere", true, TargetKinds.People, IdiomObjects: ["noia", "tempo", "baci", "coccole", "solletico", "abbracci", "risate"], Language: "it"),
        new("ammazzare", true, TargetKinds.People, IdiomObjects: ItalianAmmazzareIdioms, Language: "it"),
        new("accoltellare", true, TargetKinds.People, Language: "it"), new("pugnalare", true, TargetKinds.People, Language: "it"),
        new("sgozzare", true, TargetKinds.People, Language: "it"), new("decapitare", true, TargetKinds.People, Language: "it"),
        new("scannare", true, TargetKinds.People, Language: "it"), new("trucidare", true, TargetKinds.People, Language: "it"),
        new("massacrare", true, TargetKinds.People, IdiomObjects: ["compiti", "verifiche", "interrogazioni", "avversari"], Language: "it"),
        new("sterminare", true, TargetKinds.People, IdiomObjects: ["zanzare", "formiche", "scarafaggi", "topi"], Language: "it"),
        new("giustiziare", true, TargetKinds.People, Language: "it"), new("fucilare", true, TargetKinds.People, Language: "it"),
        new("impiccare", true, TargetKinds.People, Language: "it"), new("strangolare", true, TargetKinds.People, Language: "it"),
        new("strozzare", true, TargetKinds.People, Language: "it"), new("linciare", true, TargetKinds.People, Language: "it"),
        new("mitragliare", true, TargetKinds.Both, IdiomObjects: ["domande"], Language: "it"), new("crivellare", true, TargetKinds.People, Language: "it"),
        new("squartare", true, TargetKinds.People, Language: "it"), new("freddare", true, TargetKinds.People, Language: "it"),
        new("sparare", true, TargetKinds.Both, IdiomObjects: ItalianSparareIdioms, Language: "it"),
        new("bombardare", true, TargetKinds.Both, IdiomObjects: ["messaggi", "domande", "notifiche", "pubblicita"], Language: "it"),
        new("incendiare", true, TargetKinds.Both, IdiomObjects: ["animi", "folla", "pubblico", "platea", "stadio"], Language: "it"),
        new("bruciare", true, TargetKinds.Both, IdiomObjects: ItalianBruciareIdioms, Language: "it"),
        new("investire", true, TargetKinds.People, IdiomObjects: ItalianInvestireIdioms, Language: "it"),
        new("stuprare", true, TargetKinds.People, Language: "it"), new("violentare", true, TargetKinds.People, Language: "it"),
        new("torturare", true, TargetKinds.People, Language: "it"), new("annientare", false, TargetKinds.People, Language: "it"),
        new("macellare", true, TargetKinds.People, Language: "it"), new("lapidare", true, TargetKinds.People, Language: "it"),
        new("crocifiggere", true, TargetKinds.People, Language: "it"), new("sventrare", true, TargetKinds.People, Language: "it"),
        new("falciare", true, TargetKinds.People, IdiomObjects: ["erba", "prato", "grano", "fieno"], Language: "it"),
        new("travolgere", false, TargetKinds.People, Language: "it"),
        new("picchiare", false, TargetKinds.People, Language: "it"), new("pestare", false, TargetKinds.People, IdiomObjects: ["aglio", "piedi", "pepe", "basilico"], Language: "it"),
        new("colpire", false, TargetKinds.Both, IdiomObjects: ItalianColpireIdioms, Language: "it"),
        new("attaccare", false, TargetKinds.Both, IdiomObjects: ItalianAttaccareIdioms, Language: "it"),
        new("eliminare", false, TargetKinds.People, IdiomObjects: ItalianEliminareIdioms, Language: "it"),
        new("ferire", false, TargetKinds.People, Language: "it"), new("distruggere", false, TargetKinds.Places, IdiomObjects: ItalianDistruggereIdioms, Language: "it"),
    ];

    /// <summary>Italian acts built on an auxiliary: fare + saltare / esplodere / fuori / male, dare + fuoco.</summary>
    public static readonly ActInfo FarSaltare = new("far saltare", true, TargetKinds.Both, IdiomObjects: ["banco", "cena", "appuntamento", "riunione", "incontro", "accordo", "trattativa", "nervi", "tappo", "tappi", "turno", "lezione", "partita", "governo", "piano", "festa", "matrimonio", "vacanza", "esame"], Language: "it");
    public static readonly ActInfo FarEsplodere = new("far esplodere", true, TargetKinds.Both, IdiomObjects: ["palloncino", "palloncini", "popcorn", "rabbia", "bolla", "caso", "polemica", "petardi", "botti"], Language: "it");
    public static readonly ActInfo FareFuori = new("fare fuori", true, TargetKinds.People, IdiomObjects: ["torta", "pizza", "bottiglia", "scorte", "pacco", "vino"], Language: "it");
    public static readonly ActInfo FareSecco = new("fare secco", true, TargetKinds.People, Language: "it");
    public static readonly ActInfo FarSparire = new("far sparire", true, TargetKinds.People, IdiomObjects: ["soldi", "prove", "tracce", "macchia", "macchie", "dolore", "rughe", "brufoli", "occhiaie", "fame", "file", "foto", "documenti", "chiavi", "biscotti", "torta", "pizza"], Language: "it");
    public static readonly ActInfo FareMale = new("fare del male", false, TargetKinds.People, Language: "it");
    public static readonly ActInfo DareFuoco = new("dare fuoco", true, TargetKinds.Both, IdiomObjects: ["sigaretta", "candela", "candele", "barbecue", "camino", "miccia", "brace"], Language: "it");

    // ---- function words and targets ----
    private static readonly (W Flag, string[] Words)[] Lists =
    [
        (W.FirstSingular, ["i", "io", "im", "ill", "id", "ive", "imma", "ima", "iam"]),
        (W.FirstPlural, ["we", "noi", "well", "weve", "wed"]),
        (W.Lets, ["lets", "let"]),
        (W.SecondPerson, ["you", "u", "ya", "tu", "voi", "youre", "ur", "youll", "yall"]),
        (W.ThirdPerson, ["he", "she", "they", "lui", "lei", "loro", "hes", "shes", "theyre", "theyll", "somebody", "someone", "it", "its", "egli", "essa", "esso", "essi", "mom", "mum", "dad", "mother", "father", "boss", "teacher", "wife", "husband", "girlfriend", "boyfriend", "sister", "brother", "coach", "madre", "padre", "mamma", "papa", "capo", "moglie", "marito", "prof", "sorella", "nonna", "nonno"]),
        (W.Future, ["will", "shall", "gonna", "ill", "well", "youll", "theyll", "gon", "finna", "imma", "ima", "going"]),
        (W.Volition, ["want", "wanna", "going", "intend", "intends", "plan", "planning", "about", "ready", "promise", "swear", "gonna", "determined", "decided", "mean", "wait", "pronto", "pronti", "intenzione", "giuro", "giuriamo", "prometto", "promettiamo", "deciso"]),
        (W.Conditional, ["would", "could", "might", "id", "wouldnt", "couldnt"]),
        (W.Obligation, ["must", "should", "need", "needs", "gotta", "ought", "have", "has", "shall"]),
        (W.Deserve, ["deserve", "deserves", "deserved", "merits", "merita", "meritano", "meriterebbero", "meriterebbe", "meritate"]),
        (W.Chain, ["to", "be", "am", "are", "is", "just", "really", "definitely", "literally", "actually", "seriously", "personally", "gladly", "happily", "totally", "fucking", "fuckin", "damn", "all", "both", "then", "now", "soon", "finally", "also", "still", "first", "go", "come", "coming", "gonna", "na", "gon", "ready", "can", "cant", "wait", "so", "personally", "myself", "ourselves", "probably", "surely", "one", "day", "gladly", "slowly", "quietly", "simply", "get", "gotta", "straight", "back", "and", "will", "up", "in", "person",
            "per", "a", "ad", "di", "proprio", "davvero", "subito", "presto", "poi", "ora", "adesso", "prima", "o", "sicuramente", "personalmente", "tutti", "quanti", "anche", "gia", "stesso", "stessa", "io", "noi", "che", "ci", "ti", "vi", "lo", "la", "li", "le", "gli", "mi", "si", "ne", "me", "te", "ve", "se", "giuro", "certo", "volentieri", "lentamente", "uno", "giorno"]),
        (W.Negator, ["nn", "not", "no", "never", "nobody", "noone", "nothing", "neither", "nor", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "mustnt", "aint", "nor", "without", "cant", "cannot",
            "non", "mai", "nessuno", "nessuna", "niente", "nulla", "neanche", "nemmeno", "neppure", "senza"]),
        (W.Reporting, ["say", "says", "said", "saying", "tell", "tells", "told", "telling", "write", "writes", "wrote", "writing", "written", "threaten", "threatens", "threatened", "threatening", "claim", "claims", "claimed", "warned", "warns", "texted", "messaged", "posted", "tweeted", "shouted", "yelled", "screamed", "chanted", "announced", "allegedly", "reportedly", "quote", "quoted", "quoting", "accused", "charged", "sentenced", "convicted", "arrested",
            "dice", "dicono", "diceva", "detto", "dire", "scritto", "scrive", "scrivono", "scriveva", "minacciato", "minaccia", "minacciava", "minacciare", "urlato", "urlava", "gridato", "gridava", "annunciato", "raccontato", "racconta", "riferito", "dichiarato", "arrestato", "accusato", "condannato", "denunciato", "secondo", "presunto"]),
        (W.Caller, ["someone", "somebody", "anyone", "anybody", "everyone", "everybody", "every", "all", "brothers", "brother", "sisters", "believers", "believer", "true", "real", "patriots", "patriot", "men", "muslims", "christians", "whites", "soldiers", "warriors", "lions", "youth", "comrades",
            "qualcuno", "ognuno", "ogni", "tutti", "fratelli", "fratello", "sorelle", "credenti", "credente", "veri", "vero", "patrioti", "camerati", "compagni", "musulmani", "soldati", "guerrieri", "leoni", "giovani", "chiunque"]),
        (W.Person, ["guard", "guards", "pilgrims", "worshipers", "department", "staff", "colleagues", "coworkers", "neighbours", "neighbors", "councillors", "fascists", "communists", "nazis", "fasci", "fascisti", "comunisti", "nazisti", "zecche", "colleghi", "vicini", "opp", "opps", "tourists", "tourist", "shoppers", "commuters", "passengers", "worshippers", "pupils", "witnesses", "headmaster", "nurse", "nurses", "doctor", "doctors", "manager", "landlord", "bersaglio", "ragazzini", "genitori", "passanti", "turisti", "fedeli", "impiegata", "impiegato", "direttore", "infermiera", "you", "u", "ya", "yall", "him", "her", "them", "em", "they", "he", "she", "those", "quelli", "quelle", "coloro", "everyone", "everybody", "anyone", "people", "crowd", "crowds", "teacher", "teachers", "student", "students", "kid", "kids", "child", "children", "police", "cop", "cops", "officer", "officers", "soldier", "soldiers", "infidel", "infidels", "kuffar", "kufar", "kafir", "kafirs", "kaffir", "apostate", "apostates", "crusader", "crusaders", "politician", "politicians", "president", "minister", "mayor", "judge", "judges", "journalist", "journalists", "reporter", "reporters", "cartoonist", "cartoonists", "worshipper", "worshippers", "worshipers", "congregation", "classmate", "classmates", "coworker", "coworkers", "boss", "wife", "husband", "ex", "girlfriend", "boyfriend", "neighbour", "neighbours", "neighbor", "neighbors", "family", "principal", "priest", "priests", "rabbi", "rabbis", "imam", "pastor", "doctor", "doctors", "nurse", "nurses", "protester", "protesters", "protestors", "shoppers", "passengers", "commuters", "tourists", "spectators", "audience", "attendees", "fans", "man", "men", "guy", "guys", "bitch", "bastard", "bastards", "traitor", "traitors", "pig", "pigs", "scum", "whore", "baby", "babies", "mp", "senator", "governor", "officials", "staff", "pupils", "everybody", "yours", "alive", "all", "whoever", "anybody", "dude", "bro",
            "te", "voi", "lui", "lei", "loro", "tutti", "professore", "professoressa", "prof", "insegnante", "insegnanti", "maestra", "maestro", "preside", "studenti", "alunni", "compagni", "bambini", "bambino", "ragazzi", "ragazze", "gente", "persone", "folla", "infedeli", "infedele", "apostati", "crociati", "poliziotti", "poliziotto", "sbirri", "sbirro", "carabinieri", "agenti", "soldati", "politici", "politico", "sindaco", "ministro", "presidente", "giudice", "giudici", "giornalisti", "giornalista", "vignettisti", "fedeli", "prete", "preti", "rabbino", "imam", "capo", "moglie", "marito", "vicino", "vicini", "famiglia", "traditori", "traditore", "bastardi", "bastardo", "stronzo", "stronzi", "puttana", "maiali", "chiunque", "uomini", "tifosi", "passanti", "passeggeri", "turisti", "spettatori", "pubblico", "parlamentari", "senatore", "deputato", "dottore", "medici", "infermieri", "manifestanti", "vivo", "viva", "vivi"]),
        (W.Group, ["infidels", "kuffar", "kufar", "kafirs", "apostates", "crusaders", "zionists", "unbelievers", "heretics", "traitors", "whites", "jews", "muslims", "christians", "gays", "immigrants",
            "infedeli", "apostati", "crociati", "sionisti", "miscredenti", "eretici", "traditori", "ebrei", "musulmani", "cristiani", "gay", "immigrati", "froci", "negri"]),
        (W.Place, ["downtown", "cafeteria", "hall", "arena", "carpark", "parking", "parcheggio", "ambulatorio", "mercatino", "campus", "library", "biblioteca", "plaza", "supermarket", "supermercato", "shrine", "warehouse", "carnival", "procession", "flat", "apartment", "shop", "shops", "bakery", "clinic", "terminal", "canteen", "gym", "beach", "park", "vigil", "gates",
            "sfilata", "processione", "fermata", "parrocchia", "cimitero", "mensa", "palestra", "spiaggia", "piscina", "parco", "circolo", "capannone", "campetto", "station", "stations", "school", "schools", "synagogue", "synagogues", "church", "churches", "mosque", "mosques", "temple", "festival", "concert", "mall", "market", "stadium", "parade", "airport", "embassy", "parliament", "office", "university", "campus", "class", "classroom", "square", "club", "nightclub", "bar", "hospital", "subway", "metro", "train", "bus", "courthouse", "building", "rally", "march", "gathering", "mass", "prayers", "cathedral", "kindergarten", "daycare", "venue", "arena", "theatre", "theater", "cinema", "restaurant", "city", "town", "village", "building", "house", "home", "headquarters", "base", "pride", "office", "offices", "store", "shop", "supermarket", "museum", "plane", "flight", "tube", "underground", "bridge", "capitol", "congress", "council", "hall", "gig", "event", "pub", "party", "wedding", "funeral", "graduation",
            "stazione", "scuola", "sinagoga", "chiesa", "moschea", "concerto", "mercato", "stadio", "corteo", "aeroporto", "ambasciata", "parlamento", "ufficio", "universita", "classe", "aula", "piazza", "discoteca", "locale", "ospedale", "metropolitana", "treno", "autobus", "tribunale", "palazzo", "manifestazione", "raduno", "messa", "preghiera", "cattedrale", "asilo", "teatro", "ristorante", "municipio", "caserma", "questura", "centro", "casa", "sede", "negozio", "supermercato", "museo", "aereo", "ponte", "citta", "paese", "quartiere", "festa", "matrimonio", "funerale", "sagra", "scuole", "chiese", "sinagoghe", "moschee", "stazioni"]),
        (W.Self, ["me", "myself", "us", "ourselves", "mi", "me", "ci", "noi", "myslf", "yourself", "yourselves", "themselves", "himself", "herself"]),
        (W.Time, ["halloween", "eid", "ramadan", "thanksgiving", "hanukkah", "diwali", "capodanno", "ferragosto", "carnevale", "tonite", "tomorrow", "tmrw", "tmr", "tonight", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "noon", "midnight", "dawn", "christmas", "easter", "oclock", "am", "pm", "week", "month", "morning", "afternoon", "evening", "hours", "minutes", "days",
            "domani", "stasera", "stanotte", "oggi", "dopodomani", "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica", "mezzanotte", "mezzogiorno", "alba", "natale", "pasqua", "settimana", "mese", "mattina", "pomeriggio", "ore", "giorni", "minuti"]),
        (W.TimeLead, ["next", "this", "on", "at", "by", "in", "before", "after", "during", "until", "coming", "alle", "alla", "a", "entro", "prossimo", "prossima", "questo", "questa", "durante", "tra", "fra", "il", "la", "ore", "the"]),
        (W.PlaceLead, ["at", "in", "inside", "outside", "near", "front", "of", "the", "to", "into", "on", "a", "an", "that", "this", "your", "his", "her", "their", "our", "my", "whole", "entire", "packed", "local", "central", "main", "train", "crowded", "busy",
            "davanti", "alla", "al", "allo", "all", "ai", "agli", "alle", "nella", "nel", "nello", "nell", "dentro", "fuori", "vicino", "dalla", "dal", "della", "del", "la", "il", "lo", "l", "le", "i", "gli", "quella", "quel", "quello", "tua", "tuo", "sua", "suo", "vostra", "vostro", "loro", "intera", "intero", "in", "di", "a", "centrale", "affollata", "affollato"]),
        (W.Determiner, ["the", "those", "these", "that", "this", "every", "all", "each", "my", "your", "his", "her", "our", "their", "a", "an", "some", "any",
            "il", "lo", "la", "i", "gli", "le", "l", "un", "una", "uno", "quei", "quegli", "quelle", "quella", "quello", "quel", "questi", "queste", "tutti", "tutte", "ogni", "mio", "mia", "tuo", "tua", "suo", "sua", "nostro", "nostra", "vostro", "vostra", "miei", "tuoi", "suoi"]),
        (W.Praise, ["chad", "goat", "gods", "idol", "based", "masterpiece", "idolo", "mito", "capolavoro", "chapeau", "martyr", "martyrs", "martyrdom", "shaheed", "shahid", "shuhada", "hero", "heroes", "heroic", "legend", "legends", "legendary", "lion", "lions", "saint", "saints", "glory", "glorious", "honour", "honor", "honoured", "honored", "salute", "blessed", "bless", "inspire", "inspires", "inspired", "inspiring", "inspiration", "example", "proud", "brave", "bravest", "courage", "courageous", "paradise", "jannah", "accept", "admire", "long", "live", "respect", "deserves", "medal", "godspeed", "rip", "champion", "warrior", "avenged", "avenger", "follow", "footsteps", "path",
            "martire", "martiri", "martirio", "lunga", "eroe", "eroi", "eroico", "eroica", "leggenda", "leggendario", "leone", "leoni", "santo", "santi", "gloria", "glorioso", "onore", "onorato", "saluto", "benedetto", "benedica", "ispiri", "ispirino", "ispira", "ispirare", "ispirazione", "esempio", "fiero", "fieri", "orgoglioso", "orgogliosi", "coraggioso", "coraggiosi", "coraggio", "paradiso", "ammiro", "ammirazione", "viva", "evviva", "rispetto", "medaglia", "guerriero", "vendicato", "seguite", "seguiamo", "orme", "strada"]),
        (W.AttackRef, ["attack", "attacks", "attacked", "attacker", "attackers", "bombing", "bombings", "bomber", "bombers", "shooter", "shooters", "gunman", "gunmen", "shooting", "stabbing", "massacre", "operation", "operations", "martyrdom", "jihad", "mujahid", "mujahideen", "mujahidin", "inghimasi", "istishhadi", "perpetrator", "wolf", "carnage", "slaughter", "rampage",
            "stragista", "stragisti", "attentato", "attentati", "attentatore", "attentatori", "attacco", "attacchi", "kamikaze", "strage", "stragi", "massacro", "operazione", "martirio", "jihad", "mujaheddin", "mujahidin", "lupo", "sparatoria", "accoltellamento", "carneficina", "attaccato", "attaccata", "attaccati", "colpito", "colpita"]),
        (W.Designated, ["isis", "isil", "daesh", "daish", "caliphate", "khilafah", "khilafa", "qaeda", "qaida", "alqaeda", "alqaida", "shabaab", "shabab", "boko", "atomwaffen", "feuerkrieg", "dawlah", "dawla", "baqiyah", "califfato", "baghdadi", "jnim", "iswap", "iskp",
            "califfo", "caliph"]),
        (W.Victim, ["victim", "victims", "firefighters", "firefighter", "paramedics", "responders", "survivor", "survivors", "wounded", "injured", "families", "hostages", "innocent", "innocents", "mourn", "mourning", "vigil", "condolences", "pray", "prayers", "peace",
            "vittima", "vittime", "pompieri", "vigili", "soccorritori", "sopravvissuti", "feriti", "ostaggi", "innocenti", "lutto", "cordoglio", "condoglianze", "preghiamo", "pace", "fiaccolata", "ricordo", "memoria"]),
        (W.Counter, ["murderer", "murderers", "coward", "cowards", "cowardly", "terrorist", "terrorists", "criminal", "criminals", "condemn", "condemns", "condemned", "evil", "monster", "monsters", "disgusting", "shame", "shameful", "sick", "psycho", "madman", "lunatic", "nothing", "killer", "butcher", "hate", "against", "stop", "never", "deradicalisation", "deradicalization", "propaganda", "lies", "lie", "brainwashed", "brainwashing", "prevent", "recruiters", "recruit", "recruits", "recruited",
            "assassino", "assassini", "vigliacco", "vigliacchi", "codardo", "codardi", "terrorista", "terroristi", "criminale", "criminali", "condanno", "condanniamo", "condanna", "mostro", "mostri", "vergogna", "vergognoso", "folle", "pazzo", "macellaio", "contro", "propaganda", "bugie", "menzogne", "indottrinato", "reclutatori", "reclutano", "reclutava"]),
        (W.News, ["police", "authorities", "according", "reported", "reports", "report", "suspect", "suspected", "investigators", "investigation", "breaking", "update", "prosecutor", "prosecutors", "court", "trial", "sentenced", "charged", "arrested", "officials", "bbc", "reuters", "ap", "news", "documentary", "history", "historian", "anniversary", "years", "ago", "century", "memorial", "remembrance", "commemoration", "article", "study", "research", "analysis", "book", "film", "museum", "lesson", "lecture", "exhibition", "archive", "podcast",
            "polizia", "autorita", "secondo", "inquirenti", "indagini", "indagine", "sospettato", "procura", "notizia", "notizie", "ultimora", "tribunale", "processo", "condannato", "arrestato", "documentario", "storia", "storico", "anniversario", "anni", "fa", "secolo", "commemorazione", "articolo", "studio", "ricerca", "analisi", "libro", "museo", "lezione", "mostra", "archivio", "tg", "telegiornale", "giornale", "cronaca", "ansa"]),
        (W.Join, ["join", "enlist", "pledge", "allegiance", "bayah", "baya", "bayat", "hijrah", "hijra", "emigrate", "donate", "fund", "support",
            "partire", "unisciti", "unitevi", "uniamoci", "unirsi", "unirti", "unirvi", "arruolati", "arruolatevi", "arruolarsi", "arruolarti", "raggiungi", "raggiungete", "raggiungerci", "fedelta", "giuro", "giuriamo", "giurato", "egira", "dona", "donate", "finanzia", "sostieni", "sostenete", "sosteniamo", "schierati", "schieratevi"]),
        (W.Cause, ["caliphate", "khilafah", "mujahideen", "mujahidin", "mujahid", "jihad", "ranks", "fight", "struggle", "brothers", "ummah", "dawlah", "dawla", "caliph", "sham", "wilayah", "isis", "isil", "daesh",
            "califfato", "califfo", "jihad", "mujaheddin", "fila", "lotta", "fratelli", "umma", "combattenti", "combatti", "combattete"]),
        (W.Game, ["game", "games", "gaming", "gamer", "match", "level", "levels", "boss", "headshot", "headshots", "respawn", "ranked", "lobby", "noob", "noobs", "gg", "fortnite", "cod", "warzone", "minecraft", "valorant", "csgo", "cs", "pvp", "pve", "xbox", "ps5", "playstation", "nintendo", "server", "clan", "team", "teams", "final", "finals", "league", "season", "goal", "goals", "score", "points", "tournament", "opponent", "opponents", "coach", "chess", "checkmate", "round", "quiz", "trivia", "song", "songs", "track", "album", "beat", "lyrics", "verse", "remix", "playlist", "dance", "joke", "jokes", "meme", "movie", "film", "episode", "series", "novel", "character", "characters", "zombie", "zombies", "dragon", "raid", "dungeon", "npc", "loot", "skin", "map", "spawn", "gta", "roblox", "apex", "overwatch", "fifa", "madden", "nba", "nfl", "dnd", "campaign", "paintball", "airsoft", "laser", "tag", "scrim", "stream", "twitch", "streamer", "controller", "console", "mario", "pokemon", "basketball", "football", "soccer", "tennis", "hockey", "derby", "rugby", "cricket",
            "partita", "partite", "gioco", "giochi", "videogioco", "videogiochi", "livello", "campionato", "squadra", "squadre", "gol", "finale", "torneo", "avversari", "avversario", "classifica", "allenatore", "scacchi", "canzone", "canzoni", "brano", "testo", "strofa", "battuta", "battute", "barzelletta", "film", "serie", "episodio", "romanzo", "personaggio", "personaggi", "calcio", "derby", "coppa", "champions", "mondiali", "tifosi", "pallone", "serie", "fantacalcio", "playstation", "risate", "ridere"]),
        (W.NominalAct, ["massacre", "bloodbath", "bloodshed", "carnage", "slaughter", "bomb", "bombs", "explosion", "explosions", "blood", "massacres", "attack", "attacks", "genocide", "holocaust", "pogrom", "shooting", "shootout", "strage", "stragi", "massacro", "carneficina", "bomba", "bombe", "esplosione", "sangue", "attentato", "attacco", "genocidio", "olocausto", "sparatoria", "mattanza"]),
        (W.Doom, ["dead", "next", "die", "finished", "done", "morto", "morta", "morti", "prossimo", "prossima", "finito", "finita", "contati", "numbered", "fottuto", "fottuti", "spacciato"]),
        (W.Die, ["die", "dies", "dying", "died", "perish", "morire", "muoia", "muoiano", "morirai", "morirete", "morirà", "moriranno", "muori", "morite", "crepare", "crepa", "crepino", "crepate", "crepi"]),
        (W.Be, ["r", "be", "is", "are", "am", "was", "were", "been", "being", "youre", "im", "theyre", "hes", "shes", "its", "essere", "sono", "sei", "siete", "siamo", "e", "sara", "saranno", "sarai", "sarete", "saro", "saremo", "stato", "stati", "venire", "vengano", "venga", "verranno", "verra"]),
        (W.Past, ["has", "have", "had", "ha", "ho", "hanno", "abbiamo", "avete", "hai", "aveva", "avevano", "avevo", "e", "sono", "era", "erano", "fu", "furono", "stato", "stata", "stati", "state"]),
        (W.ProcliticSecond, ["ti", "vi", "te", "ve"]),
        (W.ProcliticThird, ["lo", "la", "li", "le", "gli", "glielo", "gliela", "glieli", "gliele"]),
        (W.ProcliticFirst, ["mi", "ci", "me", "ce"]),
        (W.ProcliticSelf, ["si", "se"]),
        (W.CallPhrase, ["bisogna", "bisognerebbe", "occorre", "occorrerebbe", "serve", "servirebbe", "time", "ora", "tempo", "momento", "dovere"]),
        (W.Death, ["death", "morte", "dead"]),
        (W.Particle, ["up", "down", "over", "into", "out", "off", "fire", "alive", "aria", "fuoco", "fuori", "male", "throat", "throats", "death", "bullet", "bullets", "bomb", "bombs", "head", "heads"]),
        (W.Conjunction, ["and", "then", "e", "poi", "ed"]),
        (W.Interjection, ["lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "ahah", "ahahah", "ahahahah", "jk", "xd", "xoxo", "kidding", "scherzo", "scherzi", "scherzando", "dai"]),
        (W.Weapon, ["bat", "bats", "crowbar", "crowbars", "knife", "knives", "blade", "blades", "machete", "machetes", "gun", "guns", "rifle", "rifles", "shotgun", "pistol", "handgun", "ar15", "ak", "ak47", "glock", "petrol", "gasoline", "acid", "bomb", "bombs", "explosives", "grenade", "grenades", "molotov", "molotovs", "axe", "crossbow", "bullet", "bullets", "rope", "noose", "truck", "lorry", "van",
            "coltello", "coltelli", "lama", "pistola", "pistole", "fucile", "fucili", "mitra", "kalashnikov", "machete", "benzina", "tanica", "acido", "bomba", "bombe", "esplosivo", "granata", "granate", "molotov", "ascia", "accetta", "mazza", "spranga", "armato", "armata", "armati", "camion", "furgone"]),
        (W.BodyPart, ["neck", "throat", "throats", "skull", "face", "head", "gut", "guts", "belly", "stomach", "chest", "heart", "spine", "back", "legs", "knees", "kneecaps", "eyes", "brain", "brains", "teeth", "jugular", "artery",
            "collo", "gola", "testa", "faccia", "pancia", "stomaco", "petto", "cuore", "schiena", "gambe", "ginocchia", "occhi", "cervello", "denti", "giugulare"]),
        (W.Crowd, ["busiest", "crowded", "packed", "fullest", "everywhere", "rush", "crowds", "queue", "queues",
            "piena", "pieno", "piene", "pieni", "affollata", "affollato", "affollate", "gremita", "gremito", "sacco", "calca", "punta"]),
        (W.Possessive, ["your", "ur", "yer", "his", "her", "their", "tua", "tuo", "tue", "tuoi", "sua", "suo", "sue", "suoi", "vostra", "vostro", "loro"]),
        (W.Known, ["know", "where", "live", "so", "dove", "abiti", "vivi", "abitate", "find", "trovero", "troveremo", "trovarti"]),
    ];

    /// <summary>The auxiliary lemmas of the Italian table and what they are for.</summary>
    private static readonly HashSet<string> ItalianAuxiliaries = new(StringComparer.Ordinal)
        { "fare", "dare", "volere", "dovere", "potere", "stare", "andare", "venire", "meritare" };

    // Declared after every list Build reads: static fields are initialised in the order they are written.
    public static readonly Dictionary<string, Lex> Words = Build();
    public static readonly Dictionary<string, Lex>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Lex Entry(Dictionary<string, Lex> d, string word)
    {
        if (!d.TryGetValue(word, out var lex)) d[word] = lex = new Lex();
        return lex;
    }

    private static Dictionary<string, Lex> Build()
    {
        var d = new Dictionary<string, Lex>(StringComparer.Ordinal);
        foreach (var (flag, words) in Lists)
            foreach (var w in words) Entry(d, w).Flags |= flag;
        foreach (var g in TargetLexicon.ProtectedGroups) Entry(d, g).Flags |= W.Group | W.Person;
        foreach (var act in EnglishActs)
            foreach (var (form, kind) in EnglishVerbs.Inflect(act.Lemma))
            {
                var lex = Entry(d, form);
                if (lex.Act is null || lex.Act.Language != "en") lex.Act ??= act;
                if (lex.Act == act) lex.English |= kind;
            }
        // "Killed", "bombed", "shot"… also refer to an attack when praised.
        foreach (var (form, lex) in d)
            if (lex.Act is { Strong: true, Language: "en" } && (lex.English & (EnglishForm.Past | EnglishForm.PastParticiple)) != 0) lex.Flags |= W.AttackRef;
        var italianActs = ItalianActs.ToDictionary(a => a.Lemma, StringComparer.Ordinal);
        foreach (var (form, (lemma, analysis)) in ItalianVerbs.Load())
        {
            var lex = Entry(d, form);
            lex.ItalianLemma ??= lemma;
            if (lex.ItalianLemma != lemma) continue;
            lex.Italian |= analysis;
            if (italianActs.TryGetValue(lemma, out var act) && lex.Act is null) lex.Act = act;
            if (ItalianAuxiliaries.Contains(lemma)) lex.Flags |= W.ItalianAux;
            if (lemma == "morire") lex.Flags |= W.Die;
            if (lemma == "esplodere" && (analysis & ItalianForm.Participle) != 0) lex.Flags |= W.AttackRef;
            if (lex.Act is { Strong: true } && (analysis & (ItalianForm.Participle | ItalianForm.PastFinite)) != 0) lex.Flags |= W.AttackRef;
        }
        return d;
    }

    /// <summary>The entry for a normalised word, or null.</summary>
    public static Lex? Find(ReadOnlySpan<char> word) => Lookup.TryGetValue(word, out var lex) ? lex : null;
}
