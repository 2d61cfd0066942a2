using System.Numerics;
using System.Runtime.CompilerServices;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>How text becomes a hashed sparse vector; stored in the model manifest so training and scoring agree.</summary>
public sealed record FeatureOptions
{
    /// <summary>The vector has 2^HashBits dimensions.</summary>
    public int HashBits { get; init; } = 18;
    /// <summary>Character n-grams of these lengths over the normalised text (0 and 0: none).</summary>
    public int CharMin { get; init; } = 2;
    public int CharMax { get; init; } = 5;
    public bool WordBigrams { get; init; } = true;
    /// <summary>Features inside quotes or after a negation are hashed apart from the same words said plainly.</summary>
    public bool Scopes { get; init; } = true;
    /// <summary>
    /// Who the text is about and whose words it carries: the text's target class (a protected group, "you", or neither) is a
    /// feature and is paired with every word, and words after a reporting verb ("saying …", "stop calling …") are in the quoted
    /// scope. Off in manifests written before it existed, so those models featurise as they were trained.
    /// </summary>
    public bool Structure { get; init; }
    /// <summary>
    /// The speaker's stance (needs <see cref="Structure"/>): whether their own words say something negative or positive
    /// (<see cref="StanceLexicon"/>, with a negator flipping what follows it in the clause), crossed with the target class and with
    /// whether the text asks a question. Lexicon look-ups tolerate one missing letter. Off in manifests written before it existed.
    /// </summary>
    public bool Stance { get; init; }

    /// <summary>The settings of the shipped model.</summary>
    public static FeatureOptions Shipped { get; } = new() { Structure = true, Stance = true };

    /// <summary>The bag-of-words baseline: word unigrams only, no scopes.</summary>
    public static FeatureOptions BagOfWords { get; } = new() { CharMin = 0, CharMax = 0, WordBigrams = false, Scopes = false };
}

/// <summary>
/// Cross-language features: the text is split into clauses at punctuation, each clause goes through the screening normaliser
/// (<see cref="TextNormalizer"/>: case, diacritics, leetspeak, homoglyphs, spaced-out letters), and words, word bigrams and
/// character n-grams are hashed into one sparse vector. Clauses inside quotation marks (reported speech, counter-speech) and
/// words after a negator ("not", "never", "non", "mai"…) carry a scope that is mixed into the hash, so "I don't hate X" and
/// "'X are vermin' is a vile thing to say" do not share features with the plain statements. With
/// <see cref="FeatureOptions.Structure"/>, words after a reporting verb are scoped like a quotation, and the text's target class
/// (<see cref="TargetLexicon"/>: a protected group, the second person, or neither) is a feature of its own and is paired with
/// every word, so "X are disgusting" can weigh differently when X is a protected group and when it is "my boss" or "this
/// film". The vector is L2-normalised.
/// </summary>
public sealed class TextFeaturizer(FeatureOptions options)
{
    /// <summary>Longer texts are cut here before featurisation (the classifier reports it).</summary>
    public const int MaxChars = 8192;

    public FeatureOptions Options { get; } = options;
    public int Dimension => 1 << Options.HashBits;

    /// <summary>The indices the stance features can take (empty without <see cref="FeatureOptions.Stance"/>), so that a head can be trained without them.</summary>
    public IReadOnlySet<int> StanceIndices => _stanceIndices ??= ComputeStanceIndices();
    private IReadOnlySet<int>? _stanceIndices;

    private HashSet<int> ComputeStanceIndices()
    {
        var set = new HashSet<int>();
        if (!Options.Structure || !Options.Stance) return set;
        var mask = (uint)(Dimension - 1);
        for (var stance = 0; stance < 4; stance++)
        {
            set.Add((int)(Finalize(Seed(6, stance)) & mask));
            for (var target = 0; target < 3; target++)
            {
                set.Add((int)(Finalize(Seed(7, stance * 4 + target)) & mask));
                for (var question = 0; question < 2; question++) set.Add((int)(Finalize(Seed(8, (question * 4 + stance) * 4 + target)) & mask));
            }
        }
        return set;
    }

    private const int ScopePlain = 0, ScopeNegated = 1, ScopeQuoted = 2;
    private const int TargetNone = 0, TargetSecondPerson = 1, TargetProtected = 2;

    // English negators after apostrophes are dropped by the normaliser ("don't" → "dont"); Italian ones are plain words.
    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "cannot", "without", "noone", "nowhere",
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "cant", "couldnt",
        "mustnt", "havent", "hasnt", "hadnt", "aint", "stop",
        "non", "mai", "nessuno", "nessuna", "niente", "nulla", "neanche", "nemmeno", "neppure", "senza", "smettila", "basta",
    };

    /// <summary>Sorted, de-duplicated indices with their L2-normalised values.</summary>
    public sealed class Vector
    {
        internal int[] Indices = new int[256];
        internal float[] Values = new float[256];
        public int Count { get; internal set; }
        public ReadOnlySpan<int> IndexSpan => Indices.AsSpan(0, Count);
        public ReadOnlySpan<float> ValueSpan => Values.AsSpan(0, Count);
        /// <summary>
        /// With <see cref="FeatureOptions.Stance"/>: the speaker's own words (not quotes, not reported speech) name a protected
        /// group and are positive and say nothing negative: praise ("X are wonderful") or negated derogation ("X are not vermin",
        /// "I don't hate X"), and no slur. A head gated on the stance (<see cref="HeadManifest.Gate"/>) does not fire on such text.
        /// </summary>
        public bool SpeakerOnlyPositive { get; internal set; }
        internal int[] Raw = new int[1024];
        internal int RawCount;
        /// <summary>The radix sort's second buffer (<see cref="SortIndices"/>).</summary>
        internal int[] SortScratch = [];

        internal void Add(uint hash, int mask)
        {
            if (RawCount == Raw.Length) Array.Resize(ref Raw, Raw.Length * 2);
            Raw[RawCount++] = (int)(hash & (uint)mask);
        }
    }

    [ThreadStatic] private static Vector? s_scratch;

    /// <summary>Featurises into a per-thread vector that the next call on this thread overwrites.</summary>
    public Vector FeaturizeShared(string? text)
    {
        var v = s_scratch ??= new Vector();
        Featurize(text, v);
        return v;
    }

    [ThreadStatic] private static List<(string Text, bool Quoted)>? s_clauses;

    private List<(string Text, bool Quoted)> SplitClauses(ReadOnlySpan<char> span) => SplitClauses(span, s_clauses ??= [], out _);

    private List<(string Text, bool Quoted)> SplitClauses(ReadOnlySpan<char> span, List<(string Text, bool Quoted)> clauses, out bool endsQuoted)
    {
        clauses.Clear();
        var quoted = false;
        endsQuoted = false;
        var start = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            var c = i < span.Length ? span[i] : '\n';
            var quote = QuoteKind(span, i);
            if (quote == 0 && !IsClauseBreak(c)) continue;
            if (i > start && !span[start..i].IsWhiteSpace())
            {
                var normalized = TextNormalizer.Normalize(span[start..i].ToString()).Text;
                if (normalized.Length > 0) clauses.Add((normalized, Options.Scopes && quoted));
            }
            if (i == span.Length) endsQuoted = quoted; // before the virtual line break at the end resets it
            if (quote == 1) quoted = true;
            else if (quote == 2) quoted = false;
            else if (quote == 3) quoted = !quoted;
            else if (c == '\n') quoted = false;
            start = i + 1;
        }
        return clauses;
    }

    /// <summary>For tests: the target class (0 none, 1 "you", 2 protected group) and stance (0 none, 1 positive, 2 negative, 3 both).</summary>
    internal (int Target, int Stance) Describe(string text)
    {
        var clauses = SplitClauses(text.AsSpan(0, Math.Min(text.Length, MaxChars)));
        return (TargetOf(clauses, Options.Stance), StanceOf(clauses, out _));
    }

    /// <summary>
    /// One span of a text featurised once so that the windows containing it reuse the work (<see cref="WindowedScoring"/>):
    /// its normalised clauses, whether it ends inside a quotation, its target class and stance counts, and, per target class
    /// a window may give it, the sorted feature indices (with counts) of its clauses. A window of one or two adjacent segments
    /// is then composed (<see cref="Compose"/>) into exactly the vector <see cref="Featurize(string?, Vector)"/> gives the
    /// window's text, when the segments' boundary is a clause break (<see cref="Joinable"/>); otherwise the window is
    /// featurised from its text.
    /// </summary>
    public sealed class Segment
    {
        internal readonly List<(string Text, bool Quoted)> Clauses = [];
        internal bool EndsQuoted, Question, EndsWithBreak;
        /// <summary>The raw text of the first clause (from the segment's start to its first break or quotation mark) and of the
        /// last (after its last break), which a neighbour's white space may join in a pair window.</summary>
        internal string FirstRaw = "", LastRaw = "";
        internal bool FirstAtStart;
        internal int Target;
        internal (int Positive, int Negative, bool Slur) Stance, StrictStance;
        // Per target slot (target + 1): reused buffers, their used length, and whether the slot is computed for this text.
        internal readonly int[][] Indices = [[], [], [], []];
        internal readonly int[][] Counts = [[], [], [], []];
        internal readonly int[] Lengths = new int[4];
        internal readonly bool[] Ready = new bool[4];
        internal bool Used;
    }

    [ThreadStatic] private static Vector? s_segmentScratch;

    /// <summary>Reads <paramref name="span"/> (one window unit, at most a few hundred characters) into <paramref name="into"/>.</summary>
    public void Prepare(ReadOnlySpan<char> span, Segment into)
    {
        if (span.Length > MaxChars) span = span[..MaxChars];
        SplitClauses(span, into.Clauses, out into.EndsQuoted);
        Array.Clear(into.Ready);
        var firstBreak = 0;
        while (firstBreak < span.Length && !IsClauseBreak(span[firstBreak]) && QuoteKind(span, firstBreak) == 0) firstBreak++;
        into.FirstAtStart = firstBreak > 0;
        into.FirstRaw = span[..firstBreak].ToString();
        var lastBreak = span.Length - 1;
        while (lastBreak >= 0 && !IsClauseBreak(span[lastBreak]) && QuoteKind(span, lastBreak) == 0) lastBreak--;
        into.LastRaw = span[(lastBreak + 1)..].ToString();
        into.Question = span.Contains('?');
        into.EndsWithBreak = span.Length > 0 && (IsClauseBreak(span[^1]) || QuoteKind(span, span.Length - 1) != 0);
        into.Target = Options.Structure && into.Clauses.Count > 0 ? TargetOf(into.Clauses, Options.Stance) : -1;
        if (Options.Structure && Options.Stance)
        {
            into.Stance = StanceCounts(into.Clauses, false);
            into.StrictStance = StanceCounts(into.Clauses, true);
        }
        into.Used = true;
    }

    /// <summary>
    /// Whether "<paramref name="a"/> white space <paramref name="b"/>" splits into a's clauses then b's, in b's own quotation
    /// state: a ends with a clause break or a quotation mark outside a quotation, or the white space holds a line break.
    /// </summary>
    public static bool Joinable(Segment a, Segment b, ReadOnlySpan<char> between)
    {
        var lineBreak = between.IndexOf('\n');
        if (lineBreak < 0 && !(a.EndsWithBreak && !a.EndsQuoted)) return false;
        // The white space joins a's last clause (when no break ends it) and b's first: the normaliser must read them alike.
        if (!a.EndsWithBreak && a.LastRaw.Length > 0 && !SameClause(a.LastRaw, string.Concat(a.LastRaw, between[..lineBreak]))) return false;
        var lead = lineBreak < 0 ? between : between[(between.LastIndexOf('\n') + 1)..];
        return !b.FirstAtStart || SameClause(b.FirstRaw, string.Concat(lead, b.FirstRaw));
    }

    private static bool SameClause(string alone, string joined)
    {
        var a = alone.AsSpan().IsWhiteSpace() ? "" : TextNormalizer.Normalize(alone).Text;
        var b = joined.AsSpan().IsWhiteSpace() ? "" : TextNormalizer.Normalize(joined).Text;
        return a == b;
    }

    /// <summary>The vector of the text made of <paramref name="a"/> alone or of <paramref name="a"/>, white space and <paramref name="b"/>.</summary>
    public void Compose(Segment a, Segment? b, Vector into)
    {
        into.RawCount = 0;
        into.Count = 0;
        into.SpeakerOnlyPositive = false;
        var clauses = a.Clauses.Count + (b?.Clauses.Count ?? 0);
        if (clauses == 0) return;
        var mask = Dimension - 1;
        var target = -1;
        if (Options.Structure)
        {
            target = b is null ? a.Target : Math.Max(a.Target, b.Target);
            into.Add(Finalize(Seed(5, target)), mask);
            if (Options.Stance)
            {
                var (pos, neg, slur) = b is null ? a.Stance : (a.Stance.Positive + b.Stance.Positive, a.Stance.Negative + b.Stance.Negative, a.Stance.Slur || b.Stance.Slur);
                var stance = StanceClass(pos, neg);
                var strict = b is null ? a.StrictStance : (a.StrictStance.Positive + b.StrictStance.Positive, a.StrictStance.Negative + b.StrictStance.Negative, false);
                into.SpeakerOnlyPositive = target == TargetProtected && stance == StancePositive && !slur && StanceClass(strict.Item1, strict.Item2) == StancePositive;
                var question = a.Question || b is { Question: true } ? 1 : 0;
                into.Add(Finalize(Seed(6, stance)), mask);
                into.Add(Finalize(Seed(7, stance * 4 + target)), mask);
                into.Add(Finalize(Seed(8, (question * 4 + stance) * 4 + target)), mask);
            }
        }
        // The structure features (at most four) sorted with their counts, then merged with the segments' clause features.
        Array.Sort(into.Raw, 0, into.RawCount);
        var extraIdx = s_extraIdx ??= new int[4];
        var extraCnt = s_extraCnt ??= new int[4];
        var extras = 0;
        for (var i = 0; i < into.RawCount;)
        {
            var j = i + 1;
            while (j < into.RawCount && into.Raw[j] == into.Raw[i]) j++;
            extraIdx[extras] = into.Raw[i];
            extraCnt[extras++] = j - i;
            i = j;
        }
        var an = ClauseFeatures(a, target, out var aIdx, out var aCnt);
        int[] bIdx = [], bCnt = [];
        var bn = b is null ? 0 : ClauseFeatures(b, target, out bIdx, out bCnt);
        ReadOnlySpan<int> ai = aIdx.AsSpan(0, an), ac = aCnt.AsSpan(0, an), bi = bIdx.AsSpan(0, bn), bc = bCnt.AsSpan(0, bn);
        var max = ai.Length + bi.Length + extras;
        if (into.Indices.Length < max) { into.Indices = new int[max]; into.Values = new float[max]; }
        int x = 0, y = 0, z = 0, count = 0;
        double norm = 0;
        while (x < ai.Length || y < bi.Length || z < extras)
        {
            var next = int.MaxValue;
            if (x < ai.Length) next = ai[x];
            if (y < bi.Length && bi[y] < next) next = bi[y];
            if (z < extras && extraIdx[z] < next) next = extraIdx[z];
            var c = 0;
            if (x < ai.Length && ai[x] == next) c += ac[x++];
            if (y < bi.Length && bi[y] == next) c += bc[y++];
            if (z < extras && extraIdx[z] == next) c += extraCnt[z++];
            float value = c;
            into.Indices[count] = next;
            into.Values[count++] = value;
            norm += value * value;
        }
        into.RawCount = 0;
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < count; i++) into.Values[i] *= scale;
        into.Count = count;
    }

    [ThreadStatic] private static int[]? s_extraIdx, s_extraCnt;

    /// <summary>A segment's clause features for a window whose target class is <paramref name="target"/> (-1: no structure), computed once.</summary>
    private int ClauseFeatures(Segment seg, int target, out int[] indices, out int[] counts)
    {
        var slot = target + 1;
        indices = seg.Indices[slot];
        counts = seg.Counts[slot];
        if (seg.Ready[slot]) return seg.Lengths[slot];
        var v = s_segmentScratch ??= new Vector();
        v.RawCount = 0;
        var mask = Dimension - 1;
        foreach (var (clause, inQuotes) in seg.Clauses) AddClause(clause, inQuotes, target, v, mask);
        var raw = SortIndices(v.Raw, v.RawCount, Options.HashBits, ref v.SortScratch);
        var n = 0;
        for (var i = 0; i < v.RawCount; i++) if (i == 0 || raw[i] != raw[i - 1]) n++;
        if (seg.Indices[slot].Length < n) { seg.Indices[slot] = new int[Math.Max(n, 256)]; seg.Counts[slot] = new int[Math.Max(n, 256)]; }
        var idx = seg.Indices[slot];
        var cnt = seg.Counts[slot];
        var k = -1;
        for (var i = 0; i < v.RawCount; i++)
        {
            if (i == 0 || raw[i] != raw[i - 1]) { idx[++k] = raw[i]; cnt[k] = 0; }
            cnt[k]++;
        }
        seg.Lengths[slot] = n;
        seg.Ready[slot] = true;
        (indices, counts) = (idx, cnt);
        return n;
    }

    public void Featurize(string? text, Vector into)
    {
        FeaturizeUnfinished(text, into);
        Finish(into);
    }

    /// <summary>
    /// Fills <paramref name="into"/>'s raw feature indices, unsorted, without finishing the vector. <see cref="Featurize"/> finishes
    /// it with <see cref="Finish"/>; the tests and benchmarks finish it with their plain reference (a comparison sort, then
    /// <see cref="RunLengths"/>) to check and measure the radix sort.
    /// </summary>
    internal void FeaturizeUnfinished(string? text, Vector into)
    {
        into.RawCount = 0;
        into.Count = 0;
        into.SpeakerOnlyPositive = false;
        if (string.IsNullOrEmpty(text)) return;
        var span = text.AsSpan(0, Math.Min(text.Length, MaxChars));
        var mask = Dimension - 1;
        // First the normalised clauses, so the target class of the whole text is known before any word is hashed.
        var clauses = SplitClauses(span);
        var target = -1;
        if (Options.Structure && clauses.Count > 0)
        {
            target = TargetOf(clauses, Options.Stance);
            into.Add(Finalize(Seed(5, target)), mask);
            if (Options.Stance)
            {
                // What the speaker says about the target: alone, with the target class, and with whether the text asks a question.
                var stance = StanceOf(clauses, out var slur);
                // The gate reads negation more strictly than the features do (see StanceOf's pseudoNegations).
                into.SpeakerOnlyPositive = target == TargetProtected && stance == StancePositive && !slur
                    && StanceOf(clauses, out _, pseudoNegations: true) == StancePositive;
                var question = span.Contains('?') ? 1 : 0;
                into.Add(Finalize(Seed(6, stance)), mask);
                into.Add(Finalize(Seed(7, stance * 4 + target)), mask);
                into.Add(Finalize(Seed(8, (question * 4 + stance) * 4 + target)), mask);
            }
        }
        foreach (var (clause, inQuotes) in clauses) AddClause(clause, inQuotes, target, into, mask);
    }

    /// <summary>
    /// A protected group named in the speaker's own words wins over "you", which wins over neither. Words in quotes or after a
    /// reporting verb are someone else's, so "stop calling X animals" is not about X in this sense: it is about the caller.
    /// </summary>
    private static int TargetOf(List<(string Text, bool Quoted)> clauses, bool tolerant)
    {
        var exact = TargetLexicon.ProtectedGroups.GetAlternateLookup<ReadOnlySpan<char>>();
        var you = TargetLexicon.SecondPerson.GetAlternateLookup<ReadOnlySpan<char>>();
        var target = TargetNone;
        foreach (var (clause, quoted) in clauses)
        {
            if (quoted) continue;
            var previousFirstPerson = false;
            foreach (var range in clause.AsSpan().Split(' '))
            {
                var word = clause.AsSpan()[range];
                if (word.IsEmpty) continue;
                if (tolerant ? TolerantGroups.Contains(word) : exact.Contains(word)) return TargetProtected;
                if (you.Contains(word)) target = TargetSecondPerson;
                if (!previousFirstPerson && IsReporting(word)) break;
                previousFirstPerson = IsFirstPerson(word);
            }
        }
        return target;
    }

    private static readonly TolerantLexicon TolerantGroups = new(TargetLexicon.ProtectedGroups, 4, StanceLexicon.Negative, StanceLexicon.Positive);
    private static readonly TolerantLexicon NegativeWords = new(StanceLexicon.Negative, 5, StanceLexicon.Positive, TargetLexicon.ProtectedGroups);
    private static readonly TolerantLexicon PositiveWords = new(StanceLexicon.Positive, 5, StanceLexicon.Negative, TargetLexicon.ProtectedGroups);

    private const int StanceNone = 0, StancePositive = 1, StanceNegative = 2, StanceMixed = 3;

    /// <summary>
    /// Positive, negative, both or neither, from the evaluative words in the speaker's own words (not in quotes, not after a
    /// reporting verb). After a negator the polarity flips: "X are never disgusting" is positive, "X are not human" negative.
    /// With <paramref name="pseudoNegations"/> (for the hate head's gate, which must not close on hateful text), a negator
    /// followed within two words by a word that makes it a comparison or an emphasis rather than a denial ("nothing but vermin", "no
    /// better than rats", "not only", "non sono altro che"), or "non" before a group term (the English prefix: "non-white"), does
    /// not flip: these are what NegEx calls pseudo-negations (Chapman et al. 2001). The features keep the plain reading, so the
    /// trained weights are unchanged by the gate.
    /// </summary>
    private static int StanceOf(List<(string Text, bool Quoted)> clauses, out bool slur, bool pseudoNegations = false)
    {
        var (positive, negative, anySlur) = StanceCounts(clauses, pseudoNegations);
        slur = anySlur;
        return StanceClass(positive, negative);
    }

    private static int StanceClass(int positive, int negative) =>
        positive > 0 && negative > 0 ? StanceMixed : positive > 0 ? StancePositive : negative > 0 ? StanceNegative : StanceNone;

    /// <summary>The evaluative words counted clause by clause (sums over clauses, so two texts' counts add up).</summary>
    private static (int Positive, int Negative, bool Slur) StanceCounts(List<(string Text, bool Quoted)> clauses, bool pseudoNegations)
    {
        int positive = 0, negative = 0;
        var slur = false;
        var slurs = TargetLexicon.Slurs.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (clause, quoted) in clauses)
        {
            if (quoted) continue;
            var previousFirstPerson = false;
            var negated = false;
            var sinceNegator = 0; // words read since the negator that opened the negated scope
            var negatorIsNon = false;
            foreach (var range in clause.AsSpan().Split(' '))
            {
                var word = clause.AsSpan()[range];
                if (word.IsEmpty) continue;
                // Within two words of the negator: "nothing but", "no better than", "non sono altro che", "not just".
                if (negated && pseudoNegations && ++sinceNegator <= 2 && IsPseudoNegation(word, sinceNegator == 1 && negatorIsNon)) negated = false;
                if (!negated && IsNegator(word)) (sinceNegator, negatorIsNon) = (0, word.SequenceEqual("non"));
                if (slurs.Contains(word)) slur = true;
                var polarity = Polarity(word);
                if (negated) polarity = -polarity;
                if (polarity > 0) positive++;
                else if (polarity < 0) negative++;
                if (IsNegator(word)) negated = true;
                if (!previousFirstPerson && IsReporting(word)) break;
                previousFirstPerson = IsFirstPerson(word);
            }
        }
        return (positive, negative, slur);
    }

    /// <summary>-1 negative, 1 positive, 0 neither; an exact entry wins over a one-letter misspelling of the other lexicon.</summary>
    private static int Polarity(ReadOnlySpan<char> word) =>
        NegativeWords.ContainsExact(word) ? -1 : PositiveWords.ContainsExact(word) ? 1
        : NegativeWords.ContainsMisspelt(word) ? -1 : PositiveWords.ContainsMisspelt(word) ? 1 : 0;

    private static bool IsFirstPerson(ReadOnlySpan<char> word) => TargetLexicon.FirstPerson.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    private void AddClause(string normalized, bool quoted, int target, Vector into, int mask)
    {
        var baseScope = quoted ? ScopeQuoted : ScopePlain;
        var scope = baseScope;
        uint previousWord = 0;
        var hasPrevious = false;
        var previousFirstPerson = false;
        var wordStart = 0;
        var structure = target >= 0;
        // Words, bigrams and the scope each word is in.
        Span<int> wordScopes = normalized.Length <= 512 ? stackalloc int[normalized.Length + 1] : new int[normalized.Length + 1];
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ') { wordScopes[i] = scope; continue; }
            if (i == wordStart) { wordStart = i + 1; continue; }
            var word = normalized.AsSpan(wordStart, i - wordStart);
            for (var k = wordStart; k < i; k++) wordScopes[k] = scope;
            wordScopes[i] = scope;
            var wordHash = Hash(word, Seed(1, scope));
            into.Add(wordHash, mask);
            if (Options.WordBigrams && hasPrevious) into.Add(Mix(previousWord, wordHash, Seed(2, scope)), mask);
            // The same word again, paired with whom the text is about.
            if (structure) into.Add(Hash(word, Seed(4, scope * 4 + target)), mask);
            previousWord = wordHash;
            hasPrevious = true;
            if (Options.Scopes && scope == baseScope && IsNegator(word)) scope = quoted ? ScopeQuoted | ScopeNegated : ScopeNegated;
            // What follows "saying", "calling", "chi dice che"… is someone else's words, unless the speaker says it ("I say").
            if (structure && (scope & ScopeQuoted) == 0 && !previousFirstPerson && IsReporting(word)) scope |= ScopeQuoted;
            previousFirstPerson = structure && IsFirstPerson(word);
            wordStart = i + 1;
        }
        if (Options.CharMax < 2) return;
        // Character n-grams over " w1 w2 … " so word starts and ends are visible; the scope is that of the n-gram's first char.
        var padded = normalized.Length + 2;
        for (var i = 0; i < padded; i++)
        {
            var s = i == 0 ? baseScope : wordScopes[Math.Min(i - 1, normalized.Length)];
            var h = Seed(3, s);
            for (var n = 1; n <= Options.CharMax && i + n <= padded; n++)
            {
                var p = i + n - 1;
                var ch = p == 0 || p == padded - 1 ? ' ' : normalized[p - 1];
                h = Step(h, ch);
                if (n >= Options.CharMin) into.Add(Finalize(h ^ (uint)n), mask);
            }
        }
    }

    private static bool IsReporting(ReadOnlySpan<char> word) => TargetLexicon.Reporting.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    /// <summary>Words that, one or two words after a negator, make it a comparison or emphasis instead of a denial.</summary>
    private static readonly HashSet<string> PseudoNegationFollowers = new(StringComparer.Ordinal)
    {
        "but", "only", "just", "doubt", "better", "worse", "different", "more", "less", "other", "than",
        "solo", "soltanto", "altro", "altri", "meglio", "peggio", "diverso", "diversa", "diversi", "diverse", "piu", "che",
    };

    /// <summary>Groups named with the English prefix "non-" that are not in the protected-group list ("non-white").</summary>
    private static readonly HashSet<string> NonPrefixed = new(StringComparer.Ordinal)
    {
        "white", "whites", "european", "europeans", "western", "westerners", "native", "natives",
    };

    private static bool IsPseudoNegation(ReadOnlySpan<char> word, bool rightAfterNon) =>
        PseudoNegationFollowers.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)
        // "non" right before a group is the English prefix ("non-white", "non muslims"), not a denial.
        || rightAfterNon && (TargetLexicon.ProtectedGroups.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)
                             || NonPrefixed.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word));

    private static bool IsNegator(ReadOnlySpan<char> word)
    {
        var lookup = Negators.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.Contains(word);
    }

    /// <summary>
    /// Sorts the raw indices, then turns each run of equal indices into one entry whose value is the run's length, and
    /// L2-normalises. The sort is an LSD radix sort (<see cref="SortIndices"/>): the indices are masked to
    /// <see cref="FeatureOptions.HashBits"/> bits, so two counting passes of 9 bits order the shipped model's 18-bit indices;
    /// it gives the same order as <see cref="Array.Sort{T}(T[], int, int)"/>, checked by a property test against a reference in the
    /// test project (<c>FeaturizerReference</c>).
    /// </summary>
    private void Finish(Vector v)
    {
        if (v.RawCount == 0) return;
        var sorted = SortIndices(v.Raw, v.RawCount, Options.HashBits, ref v.SortScratch);
        RunLengths(v, sorted);
    }

    /// <summary>Turns the sorted raw indices into (index, run length) entries and L2-normalises them.</summary>
    internal static void RunLengths(Vector v, int[] sorted)
    {
        var n = v.RawCount;
        if (v.Indices.Length < n) { v.Indices = new int[n]; v.Values = new float[n]; }
        var count = 0;
        double norm = 0;
        for (var i = 0; i < n;)
        {
            var j = i + 1;
            while (j < n && sorted[j] == sorted[i]) j++;
            float value = j - i;
            v.Indices[count] = sorted[i];
            v.Values[count++] = value;
            norm += value * value;
            i = j;
        }
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < count; i++) v.Values[i] *= scale;
        v.Count = count;
    }

    /// <summary>Below this many keys a comparison sort beats the radix sort's fixed cost (clearing and summing its histograms).</summary>
    private const int RadixMinimum = 96;

    [ThreadStatic] private static int[]? s_histograms;

    /// <summary>
    /// Sorts <paramref name="keys"/>[0..<paramref name="count"/>), every key in [0, 2^<paramref name="bits"/>), ascending. Returns
    /// the array that holds the result: <paramref name="keys"/> itself, or <paramref name="scratch"/> (grown as needed) when the
    /// radix sort made an odd number of passes. LSD radix sort: one read builds the histogram of every digit (at most 11 bits
    /// each, so the histograms stay in L1), then each pass scatters the keys stably by one digit, least significant first.
    /// </summary>
    internal static int[] SortIndices(int[] keys, int count, int bits, ref int[] scratch)
    {
        if (count < RadixMinimum || bits is < 1 or > 30)
        {
            Array.Sort(keys, 0, count);
            return keys;
        }
        var passes = (bits + 10) / 11;
        var digit = (bits + passes - 1) / passes;
        var radix = 1 << digit;
        var digitMask = radix - 1;
        var histograms = s_histograms ??= new int[3 * 2048];
        var hist = histograms.AsSpan(0, passes * radix);
        hist.Clear();
        var source = keys.AsSpan(0, count);
        foreach (var key in source)
            for (var p = 0; p < passes; p++) hist[p * radix + ((key >> (p * digit)) & digitMask)]++;
        if (scratch.Length < count) scratch = new int[Math.Max(count, keys.Length)];
        int[] from = keys, to = scratch;
        for (var p = 0; p < passes; p++)
        {
            var h = hist.Slice(p * radix, radix);
            // A digit every key shares orders nothing: skip its pass.
            if (h[(from[0] >> (p * digit)) & digitMask] == count) continue;
            var sum = 0;
            for (var d = 0; d < radix; d++) (h[d], sum) = (sum, sum + h[d]);
            var shift = p * digit;
            for (var i = 0; i < count; i++)
            {
                var key = from[i];
                to[h[(key >> shift) & digitMask]++] = key;
            }
            (from, to) = (to, from);
        }
        return from;
    }

    /// <summary>0: no quote; 1: opening; 2: closing; 3: a symmetric double quote that toggles.</summary>
    internal static int QuoteKind(ReadOnlySpan<char> text, int i)
    {
        if (i >= text.Length) return 0;
        switch (text[i])
        {
            case '"' or '\u201F' or '\uFF02': return 3;
            case '\u201C' or '\u00AB' or '\u201E' or '\u2039': return 1;
            case '\u201D' or '\u00BB' or '\u203A': return 2;
            case '\'' or '\u2018' or '\u2019':
                // A single quote only counts at a word edge, so "don't" and "l'odio" are left alone.
                var before = i > 0 && char.IsLetterOrDigit(text[i - 1]);
                var after = i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);
                return !before && after ? 1 : before && !after ? 2 : 0;
            default: return 0;
        }
    }

    private static bool IsClauseBreak(char c) => c is '.' or ',' or ';' or ':' or '!' or '?' or '\n' or '\r' or '(' or ')' or '[' or ']' or '\u2014' or '\u2013' or '\u2026' or '|';

    private static uint Seed(int family, int scope) => (uint)(family * 0x9E3779B1u + scope * 0x85EBCA77u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(uint h, char c) => BitOperations.RotateLeft((h ^ c) * 0xCC9E2D51u, 15) * 0x1B873593u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finalize(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }

    private static uint Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = seed;
        foreach (var c in s) h = Step(h, c);
        return Finalize(h ^ (uint)s.Length);
    }

    private static uint Mix(uint a, uint b, uint seed) => Finalize(BitOperations.RotateLeft(a * 0x27D4EB2Du + seed, 13) ^ b);
}
