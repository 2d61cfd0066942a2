namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// Evaluative words in English and Italian, for the featuriser's stance: does the speaker say something negative (an insult,
/// dehumanising word, hatred, violence) or positive (praise, respect, welcome) about what the text is about? Normalised single
/// words, as <see cref="Bulwark.Matching.Text.TextNormalizer"/> produces them. An entry <c>stem-o,a,i,e</c> stands for the stem
/// with each ending (Italian agreement, English inflections). Plain profanity ("shit") and words mostly used as slang ("sick",
/// "crazy") are left out: they say little about what the speaker thinks of a group.
/// </summary>
internal static class StanceLexicon
{
    private static readonly string[] NegativeEntries =
    [
        // English: dehumanising and derogatory words
        "disgusting", "disgust", "disgusted", "disgusts", "filthy", "filth", "vermin", "parasite-,s", "animal-,s", "subhuman-,s", "plague", "disease-,d",
        "worthless", "inferior", "scum", "trash", "rat-s", "savage-,s", "cockroach-,es", "pig-s", "dirty", "stupid", "criminal-,s", "cancer",
        "pathetic", "evil", "repulsive", "primitive", "garbage", "degenerate-,s", "freak-,s", "vile", "revolting", "awful", "useless",
        "idiot-,s", "moron-,s", "lazy", "ugly", "dangerous", "violent", "burden", "waste", "lesser", "gross", "nasty", "sicken-,s",
        "repulse-,s,d", "pest-,s", "virus", "leech-,es", "monster-,s", "beast-,s", "apes", "ape", "terrorist-,s", "rapist-,s",
        "thug-,s", "inbred", "retarded", "mental", "deranged", "worst", "horrible", "terrible", "hideous", "stink-,s",
        "smelly", "dumb", "brainless", "parasitic", "infest-,ed,ing", "invader-,s", "invasion", "abomination-,s", "unnatural", "perverted",
        "scumbag-,s",
        "disgrace", "shameful", "contempt", 
        // hatred and violence
        "hate", "hated", "hates", "hating", "hatred", "despise-,d,s", "loathe-,d,s", "detest-,ed,s", "resent-,s", "kill-,s,ed,ing",
        "murder-,s,ed", "shoot", "shot", "stab-,bed,s", "slaughter-,ed", "behead-,ed", "hang-,ed", "hanged", "burn-,ed,t", "butcher-,ed",
        "gas", "gassed", "execute-,d", "torture-,d", "exterminate-,d", "exterminated", "lynch-,ed", "massacre-,d", "strangle-,d",
        "hurt", "die", "dead", "death", "destroy-,ed", "eradicate-,d", "eliminate-,d", "deport-,ed", "ban-,ned", "suffer", "rot",
        // Italian
        "schifos-o,a,i,e", "schifo", "parassit-a,i,e", "feccia", "animal-e,i", "bestia", "bestie", "subuman-o,a,i,e", "piaga", "cancro",
        "inferior-e,i", "spazzatura", "top-o,i", "sporc-o,a,hi,he", "criminal-e,i", "luridi", "lurido", "lurida", "luride", "verm-e,i",
        "degenerat-o,a,i,e", "malattia", "inutil-e,i", "patetic-o,a,i,he", "ripugnant-e,i", "disgustos-o,a,i,e", "stupid-o,a,i,e",
        "pericolos-o,a,i,e", "violent-o,a,i,e", "pigr-o,a,i,e", "brutt-o,a,i,e", "sporcizia", "scimmi-a,e", "terrorist-a,i,e",
        "stupratori", "stupratore", "delinquent-e,i", "ladr-o,i", "invasor-e,i", "invasione", "vergogna", "cess-o,i", "mostr-o,i",
        "odio", "odiare", "odiamo", "odia", "detesto", "detestare", "disprezzo", "disprezzare", "vomitare", "vomito", "uccider-e",
        "uccis-o,a,i,e", "ammazzar-e", "ammazzat-o,a,i,e", "ammazzo", "ammazziamo", "morte", "morire", "mort-o,a,i,e", "sterminare",
        "sterminat-o,a,i,e", "bruciare", "bruciat-i,e", "impiccare", "impiccat-i,e", "massacrare", "massacrat-i,e", "fucilare",
        "fucilat-i,e", "eliminare", "eliminat-i,e", "cacciare", "cacciat-i,e", "espellere", "soffrire", "marcire", "distruggere",
    ];

    private static readonly string[] PositiveEntries =
    [
        // English: praise, respect, welcome, care
        "wonderful", "brilliant", "kind", "kindness", "talented", "hardworking", "welcome-,d", "valued", "valuable", "smart", "beautiful",
        "strong", "generous", "great", "amazing", "asset", "love-,d,s", "lovely", "admire-,d,s", "respect-,ed,s", "proud", "celebrate-,d",
        "support-,ed,s", "good", "nice", "friendly", "honest", "brave", "caring", "equal-,s", "human", "humans", "welcoming", "thank",
        "thanks", "grateful", "protect-,ed", "safe", "safety", "dignity", "rights", "fantastic", "awesome", "inspiring",
        "inspirational", "intelligent", "clever", "gifted", "decent", "lovable", "best", "heroes", "hero", "appreciate-,d", "cherish-,ed",
        "accept-,ed", "include-,d", "included", "belong-,s", "enrich-,es", "contribute-,s", "contribution-,s", "valid", "normal", "fine",
        "happy", "glad", "joy", "friend-,s", "neighbour-,s", "neighbor-,s", "family", "peaceful", "gentle", "warm", "funny", "wise",
        "trust-,ed", "trustworthy", "admirable", "incredible", "outstanding", "excellent", "precious", "important", "beloved", "adore-,d",
        // Italian
        "meravigli-oso,osa,osi,ose", "bravissim-o,a,i,e", "brav-o,a,i,e", "gentil-e,i", "intelligent-e,i", "benvenut-o,a,i,e", "risorsa",
        "splendid-o,a,i,e", "fantastic-o,a,i,he", "bell-o,a,i,e", "bellissim-o,a,i,e", "buon-o,a,i,e", "onest-o,a,i,e", "coraggios-o,a,i,e",
        "amo", "amiamo", "amare", "ammiro", "ammirare", "rispetto", "rispettare", "rispettat-i,e", "fier-o,a,i,e", "orgoglios-o,a,i,e",
        "festeggiare", "sostenere", "sostengo", "uguali", "uguale", "uman-o,a,i,e", "grazie", "ringrazio", "proteggere", "protett-i,e",
        "dignita", "diritti", "diritto", "accoglienza", "accogliere", "accolt-i,e", "amic-o,a,i,he", "felice", "felici",
        "preziosi", "prezios-o,a,e", "important-e,i", "normali", "normale", "pacific-o,a,i,he", "simpatic-o,a,i,he", "generos-o,a,i,e",
        "talentuos-o,a,i,e", "forti", "forte", "eroi", "eroe", "arricchiscono", "arricchisce", "fiducia", "stupend-o,a,i,e", "adoro",
    ];

    public static readonly HashSet<string> Negative = Expand(NegativeEntries);
    public static readonly HashSet<string> Positive = Expand(PositiveEntries);

    private static HashSet<string> Expand(string[] entries)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var dash = entry.IndexOf('-');
            if (dash < 0) { set.Add(entry); continue; }
            var stem = entry[..dash];
            foreach (var ending in entry[(dash + 1)..].Split(',')) set.Add(stem + ending);
        }
        return set;
    }
}

/// <summary>
/// Looks words up in a lexicon tolerating one missing letter ("muslms", "disgustng"), as obfuscated or hurried text often has.
/// Only letters inside the word are dropped; in words of five or six letters only vowels, so "black" does not become "back".
/// A misspelling must keep at least <c>minLength</c> letters, and one that is itself a word of any lexicon, or a common word
/// found to collide in the training tweets ("best" from "beast", "heres" from "heroes"), does not count.
/// </summary>
internal sealed class TolerantLexicon
{
    private static readonly string[] CommonWords = ["best", "heres", "strange", "hats", "fire", "bone", "back", "lack"];

    private readonly HashSet<string> _exact;
    private readonly HashSet<string> _missingOne = new(StringComparer.Ordinal);

    public TolerantLexicon(IEnumerable<string> words, int minLength, params IEnumerable<string>[] otherLexicons)
    {
        _exact = new HashSet<string>(words, StringComparer.Ordinal);
        foreach (var w in _exact)
        {
            if (w.Length < 5) continue;
            for (var i = 1; i < w.Length - 1; i++)
                if (w.Length >= 7 || w[i] is 'a' or 'e' or 'i' or 'o' or 'u')
                {
                    var variant = w.Remove(i, 1);
                    if (variant.Length >= minLength) _missingOne.Add(variant);
                }
        }
        _missingOne.ExceptWith(_exact);
        _missingOne.ExceptWith(CommonWords);
        foreach (var other in otherLexicons) _missingOne.ExceptWith(other);
    }

    public bool Contains(ReadOnlySpan<char> word) => ContainsExact(word) || ContainsMisspelt(word);

    public bool ContainsExact(ReadOnlySpan<char> word) => _exact.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    public bool ContainsMisspelt(ReadOnlySpan<char> word) => _missingOne.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
}
