namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// Word lists the featuriser uses to tell <em>who</em> a text is about and whether it reports someone else's words. They hold
/// normalised single words (lowercase, no diacritics, apostrophes dropped: what <see cref="Bulwark.Matching.Text.TextNormalizer"/>
/// produces), in English and Italian. Protected groups follow the usual protected characteristics (sex and gender, gender
/// identity, sexual orientation, race and ethnicity, national origin and migration status, religion, disability), plus the
/// slurs for them, since a slur names its target.
/// </summary>
internal static class TargetLexicon
{
    /// <summary>
    /// Slurs: a slur names its target and says something about it at once, so a text whose speaker uses one is never read as
    /// only positive about its target (the hate head's stance gate, see <see cref="HeadManifest.Gate"/>).
    /// </summary>
    public static readonly HashSet<string> Slurs = new(StringComparer.Ordinal)
    {
        // English
        "fag", "fags", "faggot", "faggots", "dyke", "dykes", "tranny", "trannies", "shemale", "shemales", "nigger", "niggers",
        "nigga", "niggas", "negro", "negroes", "coon", "coons", "kike", "kikes", "spic", "spics", "chink", "chinks", "gook", "gooks",
        "wetback", "wetbacks", "beaner", "beaners", "towelhead", "towelheads", "raghead", "ragheads", "paki", "pakis", "retard",
        "retards", "cripple", "cripples", "homo", "homos", "sandnigger", "sandniggers",
        // Italian
        "froci", "frocio", "ricchioni", "ricchione", "finocchi", "negri", "negro", "negra", "negre", "mongoloidi", "terroni",
    };

    private static readonly string[] GroupTerms =
    [
        // English: sex, gender identity, sexual orientation
        "women", "woman", "womens", "females", "female", "feminists", "gay", "gays", "lesbian", "lesbians", "bisexual", "bisexuals",
        "homosexual", "homosexuals", "queers", "lgbt", "lgbtq", "trans", "transgender", "transgenders", "transsexual", "transsexuals",
        "nonbinary", "enby",
        // race, ethnicity, national origin, migration
        "black", "blacks", "asian", "asians", "arab", "arabs", "african", "africans", "mexican", "mexicans", "latino", "latinos",
        "latina", "latinas", "hispanic", "hispanics", "chinese", "indian", "indians", "pakistani", "pakistanis", "somali", "somalis",
        "roma", "gypsy", "gypsies", "travellers", "aboriginal", "aborigines", "immigrant", "immigrants", "migrant", "migrants",
        "refugee", "refugees", "asylum", "foreigner", "foreigners", "nigerian", "nigerians", "turks", "kurds", "polish", "romanians",
        // religion
        "muslim", "muslims", "moslem", "moslems", "islamic", "jew", "jews", "jewish", "christian", "christians", "catholic",
        "catholics", "hindu", "hindus", "sikh", "sikhs", "buddhist", "buddhists",
        // disability
        "disabled", "handicapped", "autistic", "deaf", "blind", "wheelchair",
        // Italian
        "donne", "donna", "femmine", "omosessuali", "omosessuale", "lesbiche", "lesbica", "bisessuali", "transessuali", "transgender",
        "neri", "nere", "nero", "nera", "africani", "africano", "africane", "arabi", "arabo", "araba", "cinesi", "cinese", "rom",
        "zingari", "zingaro", "zingare", "immigrati", "immigrato", "immigrate", "migranti", "migrante", "rifugiati", "rifugiato",
        "profughi", "profugo", "stranieri", "straniero", "straniere", "extracomunitari", "extracomunitario", "marocchini", "albanesi",
        "rumeni", "musulmani", "musulmano", "musulmane", "musulmana", "islamici", "islamico", "ebrei", "ebreo", "ebrea", "ebraica",
        "cristiani", "cristiano", "disabili", "disabile", "handicappati", "handicappato",
    ];

    // Declared after the lists it joins: static fields are initialised in the order they are written.
    public static readonly HashSet<string> ProtectedGroups = new(GroupTerms.Concat(Slurs), StringComparer.Ordinal);

    /// <summary>The reader or listener: abuse of "you" is personal, not aimed at a group.</summary>
    public static readonly HashSet<string> SecondPerson = new(StringComparer.Ordinal)
    {
        "you", "your", "youre", "yours", "yourself", "yourselves", "u", "ya", "yall", "youll", "youve", "youd",
        "tu", "te", "ti", "tuo", "tua", "tuoi", "tue", "voi", "vi", "vostro", "vostra", "vostri", "sei", "siete",
    };

    /// <summary>
    /// Verbs that introduce someone else's words ("people saying …", "stop calling …", "chi dice che …"): what follows is
    /// reported, like a quotation. Not after "I" or "we", where the speaker states their own view.
    /// </summary>
    public static readonly HashSet<string> Reporting = new(StringComparer.Ordinal)
    {
        "say", "says", "saying", "said", "call", "calls", "calling", "called", "claim", "claims", "claiming", "claimed",
        "tweet", "tweets", "tweeting", "tweeted", "post", "posts", "posting", "posted", "write", "writes", "writing", "wrote",
        "shout", "shouting", "shouted", "yell", "yelling", "chant", "chanting", "insist", "insisting", "suggest", "suggesting",
        "dire", "dice", "dicono", "dicendo", "detto", "dici", "dite", "chiamare", "chiama", "chiamano", "chiamando", "chiamato",
        "scrivere", "scrive", "scrivono", "scritto", "scrivendo", "sostenere", "sostiene", "sostengono", "urlare", "urlano",
    };

    /// <summary>A reporting verb right after one of these is the speaker's own assertion ("I say …").</summary>
    public static readonly HashSet<string> FirstPerson = new(StringComparer.Ordinal) { "i", "we", "io", "noi", "ill", "im", "id" };
}
