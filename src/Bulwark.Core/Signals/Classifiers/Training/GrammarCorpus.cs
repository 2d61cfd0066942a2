using System.Text.Json;

namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// Threats, incitement and their look-alikes composed from grammar rather than fixed sentences (since 1.4.0). Italian verbs are
/// conjugated from a conjugation table read at training time (Morph-it!'s verbs as packaged by italian-verbs-dict, CC BY-SA 2.0
/// or LGPL: read, never shipped; only the trained weights are), so one frame yields every person, tense and mood it allows:
/// first person present-for-future ("accoltello"), future ("ucciderò", "uccideremo"), imperatives to a crowd ("sgozzate"),
/// infinitives with enclitic pronouns ("ammazzarti", "sparargli"), imperatives with them ("ammazzateli"), and "voglio"/"vado a"
/// + infinitive; the same verbs in the third-person past (news), the imperfect (stories), games, sport, idioms, negation and
/// questions give the negatives, so a verb alone is never the cue. English gets the same frames from a small verb table.
/// Deterministic for a seed; every sentence is composed, none is taken from a dataset.
/// </summary>
internal static class GrammarCorpus
{
    private static readonly Dictionary<string, bool> Threat = new() { [ClassifierLabels.Threat] = true, [ClassifierLabels.Glorification] = false };
    private static readonly Dictionary<string, bool> Glorification = new() { [ClassifierLabels.Glorification] = true, [ClassifierLabels.Threat] = false };
    private static readonly Dictionary<string, bool> None = new() { [ClassifierLabels.Threat] = false, [ClassifierLabels.Glorification] = false };

    /// <summary>Violent verbs: the infinitive, and the preposition its human object takes ("sparare a").</summary>
    private static readonly (string Verb, string Prep)[] ItVerbs =
    [
        ("uccidere", ""), ("ammazzare", ""), ("accoltellare", ""), ("sgozzare", ""), ("sparare", "a"), ("pugnalare", ""), ("strangolare", ""),
        ("decapitare", ""), ("massacrare", ""), ("sterminare", ""), ("impiccare", ""), ("giustiziare", ""), ("fucilare", ""), ("investire", ""),
        ("pestare", ""), ("torturare", ""), ("bruciare", ""), ("eliminare", ""),
    ];

    private static readonly string[] ItTargets =
    [
        "il professore", "la professoressa", "il mio vicino", "la mia ex", "il sindaco", "il prete", "gli infedeli", "gli ebrei", "i musulmani",
        "i poliziotti", "i giornalisti", "quel bastardo", "tutti quanti", "i crociati", "gli apostati", "il mio capo", "quei traditori", "i cristiani",
    ];

    private static readonly string[] ItPlaces =
    [
        "davanti alla classe", "alla stazione", "in chiesa", "al mercato", "davanti alla scuola", "in piazza", "alla sinagoga", "fuori dalla moschea",
        "al concerto", "in ufficio", "sotto casa sua", "al corteo", "in metropolitana", "allo stadio",
    ];

    private static readonly string[] ItTimes = ["venerdì", "domani", "stanotte", "stasera", "lunedì mattina", "alle otto", "la settimana prossima", "durante la messa", "", "", ""];

    /// <summary>Object clitics, singular and plural, with the target they stand for.</summary>
    private static readonly string[] Clitics = ["ti", "lo", "la", "li", "le", "gli", "vi"];

    private static readonly string[] EnVerbs = ["kill", "stab", "shoot", "behead", "strangle", "slaughter", "butcher", "execute", "gun down", "run over", "burn", "hang", "blow up"];
    private static readonly string[] EnVerbsPast = ["killed", "stabbed", "shot", "beheaded", "strangled", "slaughtered", "butchered", "executed", "gunned down", "ran over", "burned", "hanged", "blew up"];
    private static readonly string[] EnParticiples = ["killed", "stabbed", "shot", "beheaded", "strangled", "slaughtered", "butchered", "executed", "gunned down", "run over", "burned", "hanged", "blown up"];
    private static readonly string[] EnTargets =
    [
        "the teacher", "my neighbour", "my ex", "the mayor", "the priest", "the infidels", "the jews", "the muslims", "the cops", "the journalists",
        "that bastard", "everyone", "the crusaders", "the apostates", "my boss", "those traitors", "the christians", "you",
    ];
    private static readonly string[] EnPlaces =
    [
        "in front of the class", "at the train station", "in the church", "at the market", "outside the school", "in the square", "at the synagogue",
        "outside the mosque", "at the concert", "in the office", "at the festival", "on the subway", "at the stadium", "in the crowd",
    ];
    private static readonly string[] EnTimes = ["on Friday", "tomorrow", "tonight", "next Friday", "on Monday morning", "at 8", "next week", "during the service", "", "", ""];

    public static IEnumerable<LabelledText> Generate(int seed, string? verbsJson)
    {
        var random = new Random(seed);
        var table = verbsJson is not null && File.Exists(verbsJson) ? ReadVerbs(verbsJson) : null;
        if (table is not null) foreach (var r in Italian(random, table)) yield return r;
        foreach (var r in English(random)) yield return r;
    }

    private sealed record Forms(string Infinitive, Dictionary<string, string> Cells);

    /// <summary>The violent verbs' forms from the conjugation table: mood.tense.person → form.</summary>
    private static Dictionary<string, Forms> ReadVerbs(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new Dictionary<string, Forms>(StringComparer.Ordinal);
        foreach (var verb in ItVerbs.Select(v => v.Verb).Append("morire").Append("fare"))
        {
            if (!doc.RootElement.TryGetProperty(verb, out var moods)) continue;
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var mood in moods.EnumerateObject())
                foreach (var tense in mood.Value.EnumerateObject())
                    if (tense.Value.ValueKind == JsonValueKind.Object)
                        foreach (var person in tense.Value.EnumerateObject()) cells[$"{mood.Name}.{tense.Name}.{person.Name}"] = person.Value.GetString()!;
            result[verb] = new Forms(verb, cells);
        }
        return result;
    }

    private static string Pick(Random r, string[] xs) => xs[r.Next(xs.Length)];

    private static string Sentence(string s)
    {
        s = string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace(" ,", ",").Replace(" .", ".").Replace(" !", "!").Replace(" ?", "?");
        return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
    }

    /// <summary>"ammazzare" + "ti" → "ammazzarti"; the object of "sparare a" is the indirect clitic ("sparargli", "spararti").</summary>
    private static string Enclitic(string infinitive, string clitic, string prep)
    {
        if (prep == "a") clitic = clitic switch { "lo" or "la" or "li" or "le" => "gli", _ => clitic };
        return infinitive[..^1] + clitic;
    }

    private static IEnumerable<LabelledText> Italian(Random r, Dictionary<string, Forms> table)
    {
        LabelledText Row(string text, Dictionary<string, bool> labels) => new(Sentence(text), labels, 1, "it", "grammar");
        string Target(string prep) => prep == "a" ? Articulate(Pick(r, ItTargets)) : Pick(r, ItTargets);
        string Cell(string verb, string key) => table.TryGetValue(verb, out var f) && f.Cells.TryGetValue(key, out var form) ? form : verb;
        var verbs = ItVerbs.Where(v => table.ContainsKey(v.Verb)).ToArray();
        for (var i = 0; i < 1400; i++)
        {
            var (verb, prep) = verbs[r.Next(verbs.Length)];
            var time = Pick(r, ItTimes);
            var place = Pick(r, ItPlaces);
            var clitic = Pick(r, Clitics);
            var pp = Cell(verb, "part.past.S");
            // Threats and incitement: person, tense and mood vary; a target is always a person or people.
            yield return (i % 10) switch
            {
                0 => Row($"{time} {Cell(verb, "ind.pres.S1")} {Target(prep)} {place}.", Threat),
                1 => Row($"{time} {Cell(verb, "ind.fut.S1")} {Target(prep)} {place}, lo giuro.", Threat),
                2 => Row($"{Pick(r, ["Fratelli,", "Ragazzi,", "Musulmani,", "Patrioti,", ""])} {Cell(verb, "impr.pres.P2")} {Target(prep)} {Pick(r, ["senza pietà", "appena potete", "uno per uno", "in ogni città"])}.", Threat),
                3 => Row($"Giuro che vengo a {Enclitic(verb, clitic, prep)} {time}.", Threat),
                4 => Row($"{Pick(r, ["Voglio", "Devo", "Vado a", "Sto per"])} {verb} {Target(prep)} {time} {place}.", Threat),
                5 => Row($"{Cell(verb, "impr.pres.P2")}{(prep == "a" ? "gli" : Pick(r, ["li", "lo", "le"]))} tutti, {Pick(r, ["è il vostro dovere", "non abbiate pietà", "nessuno escluso"])}.", Threat),
                6 => Row($"{time} {Cell(verb, "ind.fut.P1")} {Target(prep)} {place}, preparatevi.", Threat),
                7 => Row($"{Pick(r, ["Qualcuno dovrebbe", "Bisognerebbe", "Sarebbe ora di"])} {verb} {Target(prep)}.", Threat),
                8 => Row($"{Pick(r, ["Ogni credente", "Ognuno di voi", "Ogni fratello", "Chi ha fede"])} {Pick(r, ["deve", "dovrebbe", "ha il dovere di"])} {Pick(r, ["prendere un furgone e lanciarlo contro", "prendere un coltello e colpire", "lanciarsi con l'auto su"])} {Pick(r, ["la gente", "i passanti", "gli infedeli", "la folla"])} {place}.", Threat),
                _ => Row($"{time} {Pick(r, ["mi faccio saltare in aria", "faccio esplodere una bomba", "porto l'esplosivo", "faccio una strage"])} {place}.", Threat),
            };
            // The same verbs where nobody is threatened: news in the past tense, stories, games, sport, idioms, negation, questions.
            yield return (i % 12) switch
            {
                0 => Row($"La polizia ha arrestato l'uomo che ha {pp} {Pick(r, ["un passante", "la moglie", "il vicino", "due turisti"])} {place}.", None),
                1 => Row($"Nel {Pick(r, ["1944", "medioevo", "film", "romanzo"])} i soldati {Cell(verb, "ind.impf.P3")} chiunque incontrassero.", None),
                2 => Row($"Stasera {Cell(verb, "ind.pres.S1")} tutti a {Pick(r, ["Fortnite", "Call of Duty", "Warzone", "Elden Ring"])}, venite in chat.", None),
                3 => Row($"{Pick(r, ["Domenica", "Sabato", "Stasera"])} {Pick(r, ["distruggiamo", "massacriamo", "asfaltiamo"])} {Pick(r, ["la Juve", "l'Inter", "il Milan", "la Lazio"])}, forza ragazzi!", None),
                4 => Row($"{Pick(r, ["Mia sorella", "Mio padre", "La prof", "Mia moglie"])} mi {Pick(r, ["ammazza", "uccide", "strangola"])} {Pick(r, ["quando vede il conto", "se prendo un altro quattro", "se perdo di nuovo le chiavi"])}.", None),
                5 => Row($"Mi hai {Pick(r, ["ucciso", "ammazzato", "distrutto"])} con questa battuta, {Pick(r, ["muoio dal ridere", "sto piangendo", "troppo forte"])}.", None),
                6 => Row($"Non {Cell(verb, "cond.pres.S1")} mai nessuno, la violenza non è la risposta.", None),
                7 => Row($"Chi ha scritto \"{Cell(verb, "ind.fut.S1")} {Pick(r, ItTargets)}\" va denunciato subito.", None),
                8 => Row($"Perché nei film d'azione {Cell(verb, "ind.pres.P3")} sempre i cattivi alla fine?", None),
                9 => Row($"Il processo all'uomo accusato di aver {pp} {Pick(r, ["il sindaco", "un agente", "la compagna"])} inizia {Pick(r, ItTimes.Where(t => t.Length > 0).ToArray())}.", None),
                10 => Row($"Questo caldo mi {Pick(r, ["uccide", "ammazza", "distrugge"])}, {Pick(r, ["non ce la faccio più", "voglio il mare", "che afa"])}.", None),
                _ => Row($"Ho {Pick(r, ["ammazzato il tempo", "bruciato la torta", "fatto fuori una pizza intera", "ucciso la zanzara"])} {Pick(r, ["ieri sera", "stamattina", "in cucina"])}.", None),
            };
        }
        // Glorification of an attack or its perpetrator, in Italian, and news or condemnation that names the same people and acts.
        string[] perps = ["il fratello che ha colpito il mercato", "l'attentatore di ieri", "il nostro fratello caduto", "chi ha fatto saltare la stazione", "il ragazzo che ha sparato in piazza"];
        for (var i = 0; i < 300; i++)
        {
            var perp = Pick(r, perps);
            yield return (i % 3) switch
            {
                0 => Row($"{perp} è {Pick(r, ["un martire", "un eroe", "un esempio"])}, {Pick(r, ["che altri seguano la sua via", "la sua ricompensa è il paradiso", "lo vendicheremo"])}.", Glorification),
                1 => Row($"Onore a {perp}, {Pick(r, ["un vero eroe", "un leone", "un esempio per tutti noi"])}.", Glorification),
                _ => Row($"Che Dio accetti {perp}, {Pick(r, ["seguiamo la sua strada", "la sua azione è stata gloriosa", "presto altri faranno come lui"])}.", Glorification),
            };
            yield return (i % 3) switch
            {
                0 => Row($"{perp} è stato condannato all'ergastolo, nessuna pietà per chi uccide innocenti.", None),
                1 => Row($"I giornali parlano di {perp}: {Pick(r, ["le vittime sono sette", "la città è sotto shock", "la polizia indaga"])}.", None),
                _ => Row($"Chiamare \"martire\" {perp} è una vergogna, era un assassino.", None),
            };
        }
    }

    private static string Articulate(string target) => target switch
    {
        _ when target.StartsWith("il ", StringComparison.Ordinal) => "al " + target[3..],
        _ when target.StartsWith("la ", StringComparison.Ordinal) => "alla " + target[3..],
        _ when target.StartsWith("i ", StringComparison.Ordinal) => "ai " + target[2..],
        _ when target.StartsWith("gli ", StringComparison.Ordinal) => "agli " + target[4..],
        _ when target.StartsWith("le ", StringComparison.Ordinal) => "alle " + target[3..],
        _ => "a " + target,
    };

    private static IEnumerable<LabelledText> English(Random r)
    {
        LabelledText Row(string text, Dictionary<string, bool> labels) => new(Sentence(text), labels, 1, "en", "grammar");
        for (var i = 0; i < 900; i++)
        {
            var v = r.Next(EnVerbs.Length);
            var verb = EnVerbs[v];
            var past = EnVerbsPast[v];
            var participle = EnParticiples[v];
            var target = Pick(r, EnTargets);
            var place = Pick(r, EnPlaces);
            var time = Pick(r, EnTimes);
            yield return (i % 9) switch
            {
                0 => Row($"{time} I will {verb} {target} {place}.", Threat),
                1 => Row($"{time} I'm going to {verb} {target} {place}, I swear.", Threat),
                2 => Row($"{Pick(r, ["Brothers,", "Patriots,", "Guys,", ""])} {verb} {target} {Pick(r, ["without mercy", "as soon as you can", "one by one", "in every city"])}.", Threat),
                3 => Row($"{Pick(r, ["Each of you", "Every brother", "Anyone with faith", "All of you"])} {Pick(r, ["must", "should", "has to"])} {Pick(r, ["grab a van and ram", "take a knife and attack", "plough a lorry into"])} {Pick(r, ["the people", "the passers-by", "the kuffar", "the shoppers"])} {place}.", Threat),
                4 => Row($"{time} {Pick(r, ["I'll set off a bomb", "I'm detonating my vest", "I'll bring the explosives", "there will be a massacre"])} {place}.", Threat),
                5 => Row($"{time} we {verb} {target} {place}, {Pick(r, ["with everyone inside", "no mercy", "be ready"])}.", Threat),
                6 => Row($"{Pick(r, ["Someone should", "Somebody needs to", "It's time to"])} {verb} {target}.", Threat),
                7 => Row($"{Pick(r, ["Soon", "This weekend", "On Sunday"])} {Pick(r, ["we'll torch", "we set fire to", "we will firebomb"])} the {Pick(r, ["temple", "mosque", "church", "shelter", "community centre"])} {Pick(r, ["while they pray", "and lock the doors", "full of people"])}.", Threat),
                _ => Row($"You will all die {place} {time}, {Pick(r, ["I promise", "mark my words", "count on it"])}.", Threat),
            };
            yield return (i % 10) switch
            {
                0 => Row($"Police arrested the man who {past} {Pick(r, ["a passer-by", "his wife", "a neighbour", "two tourists"])} {place}.", None),
                1 => Row($"{Pick(r, ["My dad", "My mum", "My coach", "My wife"])} {Pick(r, ["will murder me", "is gonna kill me", "will strangle me"])} {Pick(r, ["when he sees the bill", "for forgetting the milk", "if we lose again"])}.", None),
                2 => Row($"Tonight I'm going to {Pick(r, ["kill", "destroy", "slaughter"])} everyone in {Pick(r, ["Fortnite", "Call of Duty", "Warzone", "Elden Ring"])}, join the stream.", None),
                3 => Row($"We {Pick(r, ["murdered", "destroyed", "slaughtered", "killed"])} them {Pick(r, ["4-0", "in the final", "on the pitch"])} {time}, what a game!", None),
                4 => Row($"This song {Pick(r, ["kills me", "is killing me", "slays"])} every time, {Pick(r, ["on repeat", "what a voice", "I'm crying"])}.", None),
                5 => Row($"I could murder a {Pick(r, ["pizza", "burger", "curry", "pint"])} right now.", None),
                6 => Row($"I would never {verb} anyone, violence is never the answer.", None),
                7 => Row($"Whoever wrote \"I will {verb} {target}\" should be reported to the police.", None),
                8 => Row($"The documentary explains how the attackers {past} {Pick(r, ["dozens", "civilians", "the hostages"])} in {Pick(r, ["1995", "2001", "2015", "the war"])}.", None),
                _ => Row($"The trial of the man accused of having {participle} {Pick(r, ["the mayor", "an officer", "his partner"])} starts {Pick(r, EnTimes.Where(t => t.Length > 0).ToArray())}.", None),
            };
        }
    }
}
