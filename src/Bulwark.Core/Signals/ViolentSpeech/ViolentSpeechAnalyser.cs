using System.Globalization;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>
/// An explainable analyser of violent speech in English and Italian: threats (the speaker's intent + a violent act + a
/// target), incitement (a call on others + an act + a target), glorification (praise + an attack, perpetrator or designated
/// group) and support (joining, pledging allegiance). Deterministic word classes and a little grammar, not a model: every
/// finding says which words fired. A pure function of the text: thread-safe, linear in the text (every look-around is a
/// bounded window), never throws.
/// </summary>
/// <remarks>
/// The text is cut into sentences and clauses at punctuation and quotation marks; each clause goes through
/// <see cref="TextNormalizer"/> (case, diacritics, zero-width and format characters, homoglyphs, leetspeak inside words
/// "k1ll", spaced-out letters "s p a r o"). Italian elisions ("t'ammazzo", "l'infedele") are split first, English
/// contractions ("I'll", "don't") are kept whole. Both languages' lexicons are read for every text, so mixed-language
/// text works; the hint only names the language when the words do not.
/// </remarks>
public static partial class ViolentSpeechAnalyser
{
    /// <summary>Text past this many characters is not read (a 64 KiB comment is read whole).</summary>
    public const int MaxChars = 1 << 20;

    // Score composition (docs/violent-speech.md): an act, plus the speaker's intent or call, plus a target, time and place.
    internal const double StrongAct = 0.55, WeakAct = 0.35;
    internal const double Intent = 0.25, ImpliedIntent = 0.2, PresentIntent = 0.15, ConditionalIntent = 0.1, Call = 0.3;
    internal const double TargetWeight = 0.1, OpenTargetWeight = 0.05, TimeWeight = 0.05, PlaceWeight = 0.05;
    internal const double ReportedFactor = 0.3, QuestionFactor = 0.5, GameFactor = 0.3, JokeFactor = 0.5, NewsFactor = 0.4;
    internal const double StrongPraise = 0.5, WeakPraise = 0.35, ReferenceSameSentence = 0.35, ReferenceNearby = 0.25, MorePraise = 0.1;
    internal const double JoinStrong = 0.55, JoinWeak = 0.4, CauseStrong = 0.35, CauseWeak = 0.2;
    internal const double HyperboleFactor = 0.6;

    private static readonly IReadOnlyList<SpeechFinding> None = [];

    /// <summary>The findings in <paramref name="text"/>, strongest first, at most one per kind and sentence. <paramref name="language"/>
    /// ("en", "it-IT"…) only labels findings whose words do not say which language they are.</summary>
    public static IReadOnlyList<SpeechFinding> Analyse(string? text, string? language = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var doc = Document.Rent();
        try
        {
            doc.Load(text.Length > MaxChars ? text[..MaxChars] : text, PrimaryLanguage(language));
            if (doc.Count == 0) return None;
            new Reader(doc).Run();
            if (doc.Findings.Count == 0) return None;
            var result = doc.Findings.ToArray();
            Array.Sort(result, (a, b) => b.Score.CompareTo(a.Score));
            return result;
        }
        finally
        {
            Document.Return(doc);
        }
    }

    private static string PrimaryLanguage(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return "und";
        var dash = tag.IndexOfAny(['-', '_']);
        return (dash > 0 ? tag[..dash] : tag).ToLowerInvariant();
    }

    internal struct Token
    {
        public string Source;   // the clause's normalised text
        public int Start, Length, Clause, Sentence;
        public Lex? Lex;
        public readonly ReadOnlySpan<char> Span => Source.AsSpan(Start, Length);
        public readonly W Flags => Lex?.Flags ?? W.None;
        public readonly bool Is(W flag) => (Flags & flag) != 0;
    }

    internal sealed class Clause
    {
        public required NormalizedText Map;
        /// <summary>Set when <see cref="ItalianRegister"/> rewrote the clause's words: the offsets of each character of the
        /// rewritten text in the clause's original text (otherwise <see cref="Map"/>'s).</summary>
        public int[]? Starts, Ends;
        public int Offset, Sentence, FirstToken, EndToken;
        public bool Quoted;
    }

    internal sealed class Sentence
    {
        public int First, End, Start, Stop; // tokens [First, End), original chars [Start, Stop)
        public bool Question;
    }

    /// <summary>The tokens of one text; reused per thread.</summary>
    internal sealed class Document
    {
        [ThreadStatic] private static Document? s_cached;
        public Token[] Tokens = new Token[256];
        public int Count;
        public readonly List<Clause> Clauses = [];
        public readonly List<Sentence> Sentences = [];
        public readonly List<SpeechFinding> Findings = [];
        public string Text = "";
        public string Language = "und";
        public bool AnyUnquoted;
        private char[] _buffer = new char[256];

        public static Document Rent()
        {
            var d = s_cached ?? new Document();
            s_cached = null;
            return d;
        }

        public static void Return(Document d)
        {
            d.Count = 0;
            d.Clauses.Clear();
            d.Sentences.Clear();
            d.Findings.Clear();
            d.Text = "";
            // A huge text would otherwise keep its arrays alive with the thread.
            if (d.Tokens.Length > 1 << 14) d.Tokens = new Token[256];
            if (d._buffer.Length > 1 << 16) d._buffer = new char[256];
            s_cached = d;
        }

        public void Load(string text, string language)
        {
            Text = text;
            Language = language;
            AnyUnquoted = false;
            var span = text.AsSpan();
            var quoted = false;
            var clauseStart = 0;
            var sentence = NewSentence(0);
            for (var i = 0; i <= span.Length; i++)
            {
                var c = i < span.Length ? span[i] : '\n';
                var quote = QuoteKind(span, i);
                var sentenceBreak = quote == 0 && IsSentenceBreak(span, i);
                if (quote == 0 && !sentenceBreak && !IsClauseBreak(c)) continue;
                AddClause(span, clauseStart, i, quoted);
                var clauseStartBefore = clauseStart;
                if (quote == 1) quoted = true;
                else if (quote == 2) quoted = false;
                else if (quote == 3) quoted = !quoted;
                else if (c is '\n' or '\r') quoted = false;
                clauseStart = i + 1;
                if (sentenceBreak)
                {
                    if (c == '?' && !IsTagQuestion(span[clauseStartBefore..i])) sentence.Question = true;
                    CloseSentence(sentence, Math.Min(i + 1, span.Length));
                    sentence = NewSentence(i + 1);
                }
            }
            CloseSentence(sentence, span.Length);
        }

        /// <summary>"…, understand?", "…, capito?": a tag after a statement does not make it a question.</summary>
        private static bool IsTagQuestion(ReadOnlySpan<char> clause)
        {
            var t = clause.Trim();
            return t.Length <= 16 && (t.Equals("understand", StringComparison.OrdinalIgnoreCase) || t.Equals("understood", StringComparison.OrdinalIgnoreCase)
                || t.Equals("got it", StringComparison.OrdinalIgnoreCase) || t.Equals("capito", StringComparison.OrdinalIgnoreCase) || t.Equals("chiaro", StringComparison.OrdinalIgnoreCase)
                || t.Equals("intesi", StringComparison.OrdinalIgnoreCase) || t.Equals("hai capito", StringComparison.OrdinalIgnoreCase) || t.Equals("you hear me", StringComparison.OrdinalIgnoreCase)
                || t.Equals("ya hear", StringComparison.OrdinalIgnoreCase) || t.Equals("mi hai sentito", StringComparison.OrdinalIgnoreCase));
        }

        private Sentence NewSentence(int start) => new() { First = Count, Start = start };

        private void CloseSentence(Sentence s, int stop)
        {
            s.End = Count;
            s.Stop = stop;
            if (s.End > s.First) Sentences.Add(s);
        }

        private void AddClause(ReadOnlySpan<char> text, int start, int end, bool quoted)
        {
            if (end <= start || text[start..end].IsWhiteSpace()) return;
            var length = end - start;
            if (_buffer.Length < length) _buffer = new char[Math.Max(length, _buffer.Length * 2)];
            var buffer = _buffer.AsSpan(0, length);
            text[start..end].CopyTo(buffer);
            SplitElisions(buffer);
            var map = TextNormalizer.Normalize(new string(buffer));
            var normalized = map.Text;
            if (normalized.Length == 0) return;
            var clause = new Clause { Map = map, Offset = start, Sentence = Sentences.Count, Quoted = quoted, FirstToken = Count };
            if (ItalianRegister.TryRewrite(map, buffer, out var rewritten, out var starts, out var ends))
            {
                normalized = rewritten!;
                clause.Starts = starts;
                clause.Ends = ends;
            }
            var index = Clauses.Count;
            Clauses.Add(clause);
            var wordStart = 0;
            for (var i = 0; i <= normalized.Length; i++)
            {
                if (i < normalized.Length && normalized[i] != ' ') continue;
                if (i > wordStart)
                {
                    if (Count == Tokens.Length) Array.Resize(ref Tokens, Tokens.Length * 2);
                    var word = normalized.AsSpan(wordStart, i - wordStart);
                    Tokens[Count++] = new Token
                    {
                        Source = normalized, Start = wordStart, Length = i - wordStart, Clause = index, Sentence = Sentences.Count,
                        Lex = SpeechLexicon.Find(word),
                    };
                }
                wordStart = i + 1;
            }
            clause.EndToken = Count;
            if (!quoted) AnyUnquoted = true;
        }

        /// <summary>An apostrophe between letters splits an Italian elision ("t'ammazzo" → "t ammazzo") but not an English
        /// contraction ("I'll", "don't", "y'all"), which the normaliser joins ("ill", "dont").</summary>
        private static void SplitElisions(Span<char> s)
        {
            for (var i = 1; i < s.Length - 1; i++)
            {
                if (s[i] is not ('\'' or '\u2019' or '\u2018' or '`' or '\u00B4') || !char.IsLetter(s[i - 1]) || !char.IsLetter(s[i + 1])) continue;
                var j = i + 1;
                while (j < s.Length && char.IsLetter(s[j])) j++;
                var suffix = s[(i + 1)..j];
                if (!IsContraction(suffix)) s[i] = ' ';
            }
        }

        private static bool IsContraction(ReadOnlySpan<char> suffix) =>
            suffix.Equals("ll", StringComparison.OrdinalIgnoreCase) || suffix.Equals("m", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("re", StringComparison.OrdinalIgnoreCase) || suffix.Equals("ve", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("d", StringComparison.OrdinalIgnoreCase) || suffix.Equals("s", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("t", StringComparison.OrdinalIgnoreCase) || suffix.Equals("all", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("clock", StringComparison.OrdinalIgnoreCase) || suffix.Equals("em", StringComparison.OrdinalIgnoreCase);

        /// <summary>0: no quote; 1: opening; 2: closing; 3: a symmetric double quote that toggles.</summary>
        private static int QuoteKind(ReadOnlySpan<char> text, int i)
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
                    return !before && after ? 1 : before && !after && (i + 1 >= text.Length || !char.IsLetter(text[i + 1])) && IsClosingSingle(text, i) ? 2 : 0;
                default: return 0;
            }
        }

        /// <summary>A single quote after a word closes a quotation only when one is open before it on the line ("'ti ammazzo'"),
        /// not in "the brothers' plan".</summary>
        private static bool IsClosingSingle(ReadOnlySpan<char> text, int i)
        {
            for (var k = i - 1; k >= 0 && k >= i - 400; k--)
            {
                if (text[k] is '\n') return false;
                if (text[k] is '\'' or '\u2018' or '\u2019' && (k == 0 || !char.IsLetterOrDigit(text[k - 1])) && k + 1 < text.Length && char.IsLetterOrDigit(text[k + 1])) return true;
            }
            return false;
        }

        /// <summary>"." ends a sentence only before a space or the end ("8.30", "i.s.i.s" stay words); "!", "?", ";", "…" and line breaks always.</summary>
        private static bool IsSentenceBreak(ReadOnlySpan<char> text, int i)
        {
            if (i >= text.Length) return true;
            var c = text[i];
            if (c is '!' or '?' or ';' or '\n' or '\r' or '\u2026' or '|') return true;
            if (c != '.') return false;
            return i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) || text[i + 1] is '.' or '"' or '\'' or '\u201D' or '\u00BB' or ')';
        }

        private static bool IsClauseBreak(char c) => c is ',' or ':' or '(' or ')' or '[' or ']' or '\u2014' or '\u2013' or '.';

        // ---- helpers the reader uses ----

        public int OriginalStart(int t)
        {
            ref var tok = ref Tokens[t];
            var clause = Clauses[tok.Clause];
            return clause.Offset + (clause.Starts is { } starts ? starts[tok.Start] : clause.Map.Starts[tok.Start]);
        }

        public int OriginalEnd(int t)
        {
            ref var tok = ref Tokens[t];
            var clause = Clauses[tok.Clause];
            return clause.Offset + (clause.Ends is { } ends ? ends[tok.Start + tok.Length - 1] : clause.Map.Ends[tok.Start + tok.Length - 1]);
        }

        /// <summary>The original text from token <paramref name="a"/> to token <paramref name="b"/>, trimmed, on one line.</summary>
        public string Original(int a, int b)
        {
            if (b < a) (a, b) = (b, a);
            var start = OriginalStart(a);
            var end = Math.Max(start, OriginalEnd(b));
            var s = Text[start..end].Trim();
            if (s.Length > 80) s = s[..77] + "...";
            return s.ReplaceLineEndings(" ");
        }
    }

    /// <summary>What the words before an act say about who is speaking and how.</summary>
    private struct Chain
    {
        public int Subject;          // token index of the subject head, or -1
        public W SubjectFlags;       // its flags
        public int CueStart;         // first token of the cue (subject or first modal)
        public bool Future, Volition, Conditional, Obligation, Deserve, Negated, Lets, Be, Any, AfterAnd;
        public bool Coordinated;     // the act follows "and" after an imperative ("take a truck and drive it into…")
        public int CallerStart;      // first token of a caller phrase ("every true believer"), or -1
    }

    private sealed partial class Reader(Document doc)
    {
        private readonly Document _doc = doc;
        private Token[] T => _doc.Tokens;

        public void Run()
        {
            for (var i = 0; i < _doc.Count; i++)
            {
                if (T[i].Is(W.ProcliticSecond) || T[i].Is(W.ProcliticThird) || T[i].Span is "t" or "v") SecondPersonClitic(i);
                var lex = T[i].Lex;
                if (lex is null) continue;
                if ((lex.Flags & W.Weapon) != 0) Weapon(i);
                if (lex.Act is { Language: "en" } && lex.English != EnglishForm.None) EnglishAct(i, lex);
                if (lex.Act is { Language: "it" } && lex.Italian != ItalianForm.None) ItalianAct(i, lex, lex.Act, i);
                if (lex.ItalianLemma is "fare" or "dare") ItalianAuxAct(i, lex);
                if ((lex.Flags & W.NominalAct) != 0) NominalAct(i);
                if ((lex.Flags & (W.Doom | W.Die)) != 0) Doom(i);
                if ((lex.Flags & (W.Die | W.Death)) != 0) DeathWish(i);
            }
            foreach (var s in _doc.Sentences)
            {
                Glorification(s);
                Support(s);
                Instructions(s);
                Phrases(s);
            }
            KnowWhereYouLive();
        }

        // ================= English acts =================

        private void EnglishAct(int i, Lex lex)
        {
            var act = lex.Act!;
            var end = i;
            if (act.Needs is { } needs)
            {
                end = FindForward(i, 6, needs);
                if (end < 0) return;
            }
            else if (act.Lemma is "burn" or "shoot" or "blow") end = ParticleAfter(i, end);
            if (IsIdiom(i, act)) return;
            // "hang" is violent with a person right after it ("hang him", "hang them all") or as a passive ("should be hanged"); "hang out", "hang in there" are not.
            if (act.Lemma == "hang" && (lex.English & EnglishForm.Base) != 0 && !(Next(i) is var h && h >= 0 && T[h].Span is "him" or "her" or "them" or "em" or "you" or "yall" or "traitors" or "all"))
                return;
            if (act.Lemma is "kill" or "murder" && FindForward(i, 5, "kindness|love|kisses|compliments|laughter|style|cuteness|sweetness|hugs") >= 0) return;
            // "I'd kill a bitch for a coffee", "will shank someone for ceviche": hyperbole about an indefinite someone, for something.
            if (FindForward(i, 4, "for") is var fo && fo > 0 && fo <= i + 3 && T[i + 1].Span is "a" or "an" or "someone" or "somebody" or "anyone" or "anybody") return;
            if (Next(i) is var n && n >= 0 && (T[n].Span.SequenceEqual("for") && act.Lemma is "kill" or "murder" || T[n].Span.SequenceEqual("it") && NextIsClauseEnd(n))) return; // "kill for a coffee", "killing it"
            var form = lex.English;
            if ((form & EnglishForm.Base) != 0 && T[i].Is(W.NominalAct) && PreviousIs(i, W.Determiner)) return; // "the massacre", "a bomb": a noun here

            if ((form & (EnglishForm.Past | EnglishForm.PastParticiple)) != 0 && (form & EnglishForm.Base) == 0)
            {
                PassiveCall(i, end, act);
                return;
            }
            if ((form & EnglishForm.Gerund) != 0)
            {
                // "I'll start shooting", "that's when I start shooting": a first-person start of the act.
                if (i > 0 && T[i - 1].Clause == T[i].Clause && T[i - 1].Span is "start" or "begin")
                {
                    var st = ScanChain(i - 1);
                    if ((st.SubjectFlags & (W.FirstSingular | W.FirstPlural)) != 0 && !st.Negated && (st.Future || st.Volition || HasTime(i) || FindPlace(i) >= 0))
                        Emit(SpeechKind.Threat, i, end, act, st, "first person 'start'", st.Future || st.Volition ? Intent : PresentIntent, requireTarget: false);
                    return;
                }
                // "I'm killing him tomorrow": the progressive for a plan, only with a time.
                var g = ScanChain(i);
                if ((g.SubjectFlags & (W.FirstSingular | W.FirstPlural)) != 0 && g.Be && !g.Negated && HasTime(i))
                    Emit(SpeechKind.Threat, i, end, act, g, "first person plan", Intent);
                return;
            }
            if ((form & EnglishForm.Base) == 0) return;

            var c = ScanChain(i);
            var first = (c.SubjectFlags & (W.FirstSingular | W.FirstPlural)) != 0;
            if (c.Negated) return;
            if (first)
            {
                if (c.Lets) Emit(SpeechKind.Incitement, i, end, act, c, "call 'let's'", Call);
                else if (c.Obligation && (c.SubjectFlags & W.FirstPlural) != 0 && !c.Future) Emit(SpeechKind.Incitement, i, end, act, c, "first person plural call", Call);
                else if (c.Future || c.Volition || c.Obligation) Emit(SpeechKind.Threat, i, end, act, c, c.Volition && !c.Future ? "first person volitional" : "first person future", Intent);
                else if (c.Conditional) Emit(SpeechKind.Threat, i, end, act, c, "first person conditional", ConditionalIntent, SpeechModifiers.Conditional);
                else if (HasTime(i)) Emit(SpeechKind.Threat, i, end, act, c, "first person present-for-future", Intent);
                // The English simple present is habitual ("I run over squirrels"); only "I kill you" reads as a threat.
                else if (Next(i) is var y && y >= 0 && T[y].Span is "you" or "u" or "ya" or "yall") Emit(SpeechKind.Threat, i, end, act, c, "first person present", PresentIntent);
                return;
            }
            if ((c.SubjectFlags & W.Lets) != 0) { Emit(SpeechKind.Incitement, i, end, act, c, "call 'let's'", Call); return; }
            if (c.CallerStart >= 0 && (c.Obligation || c.Conditional && IsSpan(c.Subject, "someone", "somebody")))
            {
                Emit(SpeechKind.Incitement, i, end, act, c, "call", Call);
                return;
            }
            if ((c.SubjectFlags & W.SecondPerson) != 0 && c.Obligation) { Emit(SpeechKind.Incitement, i, end, act, c, "call on the reader", Call); return; }
            // "The bakery will burn", "your house is going to burn": an announced fire at a place, the place the subject.
            if (act.Lemma == "burn" && c.Subject >= 0 && c.Future && !c.Negated && NextIsClauseEndOrTime(i)
                && (T[c.Subject].Is(W.Place) || c.Subject > 0 && T[c.Subject - 1].Clause == T[c.Subject].Clause && PlaceBefore(c.Subject) >= 0 || T[c.Subject].Lex is null && PreviousIs(c.Subject, W.Determiner) && HasTime(i) && act.IdiomObjects?.Contains(T[c.Subject].Span.ToString()) != true))
            {
                Emit(SpeechKind.Threat, i, end, act, c, "announced", ImpliedIntent, forcedTarget: c.Subject);
                return;
            }
            if (c.Subject >= 0) return; // someone else's act: "my boss is going to kill me", "he will shoot"
            if (!(c.Future || c.Volition || c.Obligation || c.Conditional || c.Be || c.Deserve))
            {
                // A weak verb as an imperative needs a pronoun object: "hurt them", not "hurt people hurt people".
                if ((IsClauseInitial(i) || c.Coordinated) && (act.Strong || Next(i) is var p && p >= 0 && T[p].Span is "them" or "him" or "her" or "em"))
                    Emit(SpeechKind.Incitement, i, end, act, c, "imperative", Call);
                return;
            }
            if (c.Future || c.Volition) Emit(SpeechKind.Threat, i, end, act, c, "implied first person future", ImpliedIntent);
            else if (c.Obligation && !c.Be) Emit(SpeechKind.Incitement, i, end, act, c, "call", Call);
        }

        /// <summary>"They should be shot", "deserve to be killed", "must be exterminated": a call whose target is the subject.</summary>
        private void PassiveCall(int i, int end, ActInfo act)
        {
            if (PassiveFuture(i, end, act)) return;
            var c = ScanChain(i);
            if (c.Negated || !c.Be || !(c.Obligation || c.Deserve)) return;
            if ((c.SubjectFlags & (W.FirstSingular | W.FirstPlural)) != 0) return; // "I should be shot for this haircut"
            Emit(SpeechKind.Incitement, i, end, act, c, "passive call", Call, targetBefore: true);
        }

        /// <summary>Reads backwards from the act over modals, auxiliaries and adverbs to the subject.</summary>
        private Chain ScanChain(int i)
        {
            var c = new Chain { Subject = -1, CallerStart = -1, CueStart = i };
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            var j = i - 1;
            var steps = 0;
            var jumped = false;
            while (j >= clauseStart && steps++ < 10)
            {
                ref var t = ref T[j];
                var f = t.Flags;
                // "I'll find you and kill you": after "and", an object pronoun is not the act's subject; read on to the first verb's subject.
                if (c.AfterAnd && !jumped && t.Span is "you" or "u" or "him" or "her" or "them" or "em" or "ya")
                {
                    jumped = true;
                    var k = j - 1;
                    while (k >= clauseStart && j - k < 8 && (T[k].Flags & (W.Future | W.Volition | W.Obligation | W.Conditional | W.Lets)) == 0) k--;
                    if (k >= clauseStart && j - k < 8) { j = k; steps = 0; continue; }
                }
                // "we're" normalises to "were": at a clause start (or after "and", "so") it is the first person plural.
                if (t.Span is "were" && (j == clauseStart || (T[j - 1].Flags & (W.Conjunction | W.Time)) != 0 || T[j - 1].Span is "so" or "now"))
                {
                    c.Subject = j;
                    c.SubjectFlags = W.FirstPlural;
                    c.Be = true;
                    c.CueStart = j;
                    break;
                }
                if ((f & (W.FirstSingular | W.FirstPlural | W.SecondPerson | W.ThirdPerson | W.Lets)) != 0)
                {
                    c.Subject = j;
                    c.SubjectFlags = f & (W.FirstSingular | W.FirstPlural | W.SecondPerson | W.ThirdPerson | W.Lets);
                    if ((f & W.Lets) != 0) c.Lets = true;
                    Modal(ref c, f);
                    c.CueStart = j;
                    if ((f & W.ThirdPerson) != 0 && (f & W.Caller) != 0) CallerPhrase(ref c, j, clauseStart);
                    break;
                }
                if ((f & W.Caller) != 0 && (f & W.Chain) == 0 || (f & W.Caller) != 0 && (c.Obligation || c.Conditional) && (f & W.Person) == 0)
                {
                    CallerPhrase(ref c, j, clauseStart);
                    break;
                }
                if ((f & W.Negator) != 0 && j + 1 < i && T[j + 1].Span is "wait")
                {
                    c.Volition = true; // "can't wait to": eagerness, not negation
                    c.Any = true;
                    j--;
                    continue;
                }
                if ((f & (W.Chain | W.Future | W.Volition | W.Conditional | W.Obligation | W.Deserve | W.Negator | W.Time | W.Be)) != 0 || t.Span.SequenceEqual("to"))
                {
                    if ((f & W.Conjunction) != 0) c.AfterAnd = true;
                    Modal(ref c, f);
                    if ((f & (W.Future | W.Volition | W.Conditional | W.Obligation | W.Deserve | W.Lets)) != 0) c.CueStart = j;
                    c.Any = true;
                    j--;
                    continue;
                }
                // Not a chain word. After "and", the act may share the subject of an earlier verb: "must take a truck and drive it into".
                if (c.AfterAnd && !jumped)
                {
                    jumped = true;
                    var k = j;
                    while (k >= clauseStart && j - k < 8 && (T[k].Flags & (W.Future | W.Volition | W.Obligation | W.Conditional | W.Lets)) == 0) k--;
                    if (k >= clauseStart && j - k < 8) { j = k; steps = 0; continue; }
                    // "Take a car and drive it into…": the first verb is an imperative, and so is the act.
                    for (var p = clauseStart; p < j && p < clauseStart + 3; p++)
                        if (PreparationVerbs.Contains(T[p].Span.ToString()) && IsClauseInitial(p)) { c.Coordinated = true; return c; }
                }
                c.Subject = j;
                c.SubjectFlags = W.ThirdPerson;
                if ((f & (W.Person | W.Group | W.Place)) == 0 && (f & W.Reporting) != 0) c.Subject = -1; // "threatened to kill": no subject of the act's own
                break;
            }
            return c;
        }

        /// <summary>Verbs that open an imperative the act is coordinated with: "take a truck and drive it into…".</summary>
        private static readonly HashSet<string> PreparationVerbs = new(StringComparer.Ordinal)
            { "take", "grab", "get", "buy", "rent", "steal", "find", "pick", "use", "bring", "load", "fill", "build", "make", "arm", "prepare", "go", "come", "hunt", "track" };

        private void CallerPhrase(ref Chain c, int j, int clauseStart)
        {
            var k = j;
            while (k - 1 >= clauseStart && (T[k - 1].Flags & (W.Caller | W.Determiner)) != 0 && j - k < 4) k--;
            c.CallerStart = k;
            c.Subject = j;
            c.SubjectFlags |= W.Caller;
            c.CueStart = k;
        }

        private static void Modal(ref Chain c, W f)
        {
            if ((f & W.Future) != 0) c.Future = true;
            if ((f & W.Volition) != 0) c.Volition = true;
            if ((f & W.Conditional) != 0) c.Conditional = true;
            if ((f & W.Obligation) != 0) c.Obligation = true;
            if ((f & W.Deserve) != 0) c.Deserve = true;
            if ((f & W.Negator) != 0) c.Negated = true;
            if ((f & W.Lets) != 0) c.Lets = true;
            if ((f & W.Be) != 0) c.Be = true;
        }

        // ================= Italian acts =================

        /// <summary>An Italian act at <paramref name="i"/>; <paramref name="verb"/> is the token whose form carries person and
        /// mood (the act itself, or "fare"/"dare" in "farò saltare", "darò fuoco").</summary>
        private void ItalianAct(int verb, Lex lex, ActInfo act, int actToken, int actEnd = -1)
        {
            if (actEnd < 0) actEnd = actToken;
            var form = lex.Italian;
            if (IsIdiom(actEnd, act)) return;
            if (act.Lemma == "ammazzare" && IsInterjection(verb)) return;
            var pre = ScanItalian(verb);
            if (pre.Negated) return;
            var clitics = pre.Clitic | EncliticOf(form);
            var first = (form & (ItalianForm.FirstFuture | ItalianForm.FirstPresent | ItalianForm.FirstConditional)) != 0;
            // "mi ammazzo", "ci ammazziamo": the speaker turns on themselves — not this analyser's business.
            if ((clitics & (Clitic.First | Clitic.Self)) != 0 && first && !IsSelfBombing(act)) return;
            // "mia madre mi ammazza", "ammazzami": the speaker is the victim.
            if ((clitics & Clitic.First) != 0 && !first && !IsSelfBombing(act)) return;
            var c = new Chain { Subject = -1, CallerStart = -1, CueStart = pre.CueStart };
            var selfBomb = (clitics & (Clitic.Self | Clitic.First)) != 0 && IsSelfBombing(act);

            // "Andrebbero impiccati": a participle after a passive governor, before any imperative reading ("impiccati" is also "hang yourself").
            if ((form & ItalianForm.Participle) != 0 && ItalianPassiveCall(verb, actEnd, act)) return;
            if ((form & ItalianForm.FirstFuture) != 0) { EmitIt(SpeechKind.Threat, verb, actEnd, act, c, "first person future", Intent, clitics, selfBomb); return; }
            if ((form & ItalianForm.Imperative) != 0 && (form & ItalianForm.FirstPlural) != 0 && (EncliticOf(form) != Clitic.None || IsClauseInitial(pre.CueStart)))
            { EmitIt(SpeechKind.Incitement, verb, actEnd, act, c, "first person plural exhortation", Call, clitics, selfBomb); return; }
            if ((form & ItalianForm.FirstPresent) != 0)
            {
                if (HasTime(verb)) EmitIt(SpeechKind.Threat, verb, actEnd, act, c, "first person present-for-future", Intent, clitics, selfBomb);
                else EmitIt(SpeechKind.Threat, verb, actEnd, act, c, "first person present", (clitics & Clitic.Second) != 0 ? ImpliedIntent : PresentIntent, clitics, selfBomb);
                return;
            }
            if ((form & ItalianForm.FirstConditional) != 0) { EmitIt(SpeechKind.Threat, verb, actEnd, act, c, "first person conditional", ConditionalIntent, clitics, selfBomb, SpeechModifiers.Conditional); return; }
            if ((form & ItalianForm.Imperative) != 0 && !pre.HasSubject && (EncliticOf(form) != Clitic.None || IsClauseInitial(pre.CueStart)))
            { EmitIt(SpeechKind.Incitement, verb, actEnd, act, c, "imperative", Call, clitics, selfBomb); return; }
            if ((form & ItalianForm.Infinitive) != 0)
            {
                var g = Governor(pre.CueStart);
                if (g.Kind is not null && !g.Negated)
                {
                    c.CueStart = g.Start;
                    var cl = clitics | g.Clitic;
                    if ((cl & Clitic.First) != 0 && !selfBomb && g.Kind != SpeechKind.Threat) return;
                    if ((cl & (Clitic.First | Clitic.Self)) != 0 && g.Kind == SpeechKind.Threat && !selfBomb) return;
                    EmitIt(g.Kind.Value, verb, actEnd, act, c, g.Description!, g.Weight, cl, selfBomb, g.Modifiers);
                }
                else if (g.Kind is null && EncliticOf(form) is Clitic.Third or Clitic.Second && IsClauseInitial(pre.CueStart))
                    EmitIt(SpeechKind.Incitement, verb, actEnd, act, c, "infinitive call", ImpliedIntent, clitics, selfBomb);
                return;
            }
        }

        private static bool IsSelfBombing(ActInfo act) => act == SpeechLexicon.FarEsplodere || act == SpeechLexicon.FarSaltare;

        /// <summary>"fare" + saltare / esplodere / fuori / del male / una strage; "dare" + fuoco.</summary>
        private void ItalianAuxAct(int i, Lex lex)
        {
            var clauseEnd = _doc.Clauses[T[i].Clause].EndToken;
            for (var k = i + 1; k < clauseEnd && k <= i + 3; k++)
            {
                var w = T[k].Span;
                var l = T[k].Lex;
                ActInfo? act = null;
                var end = k;
                if (lex.ItalianLemma == "fare")
                {
                    if (l?.ItalianLemma == "saltare" && (l.Italian & ItalianForm.Infinitive) != 0) { act = SpeechLexicon.FarSaltare; end = FindForward(k, 2, "aria") is var a && a >= 0 ? a : k; }
                    else if (l?.ItalianLemma == "esplodere" && (l.Italian & ItalianForm.Infinitive) != 0) act = SpeechLexicon.FarEsplodere;
                    else if (w.SequenceEqual("fuori")) act = SpeechLexicon.FareFuori;
                    else if (w.SequenceEqual("male")) act = SpeechLexicon.FareMale;
                    else if (w is "secco" or "secca" or "secchi") act = SpeechLexicon.FareSecco;
                    else if (w is "sparire") act = SpeechLexicon.FarSparire;
                    else if (l is not null && (l.Flags & W.NominalAct) != 0 && w is not "sangue") { NominalWithVerb(i, lex, k); return; }
                }
                else if (w.SequenceEqual("fuoco")) act = SpeechLexicon.DareFuoco;
                if (act is null) continue;
                // "fatto esplodere", "ha fatto saltare": a past act, for glorification only.
                if ((lex.Italian & (ItalianForm.Participle | ItalianForm.PastFinite)) != 0) return;
                ItalianAct(i, lex, act, k, end);
                return;
            }
        }

        private enum Clitic { None = 0, Second = 1, Third = 2, First = 4, Self = 8 }

        private static Clitic EncliticOf(ItalianForm f) =>
            (f & ItalianForm.CliticSecond) != 0 ? Clitic.Second : (f & ItalianForm.CliticThird) != 0 ? Clitic.Third
            : (f & ItalianForm.CliticFirst) != 0 ? Clitic.First : (f & ItalianForm.CliticSelf) != 0 ? Clitic.Self : Clitic.None;

        private struct ItalianPrefix
        {
            public Clitic Clitic;
            public bool Negated, HasSubject;
            public int CueStart;
        }

        /// <summary>Proclitics, negation and an explicit subject right before an Italian verb ("non ti", "io li", "mia madre mi").</summary>
        private ItalianPrefix ScanItalian(int verb)
        {
            var p = new ItalianPrefix { CueStart = verb };
            var clauseStart = _doc.Clauses[T[verb].Clause].FirstToken;
            for (var j = verb - 1; j >= clauseStart && verb - j <= 4; j--)
            {
                var f = T[j].Flags;
                var w = T[j].Span;
                if (w is "t" or "v") { p.Clitic |= Clitic.Second; p.CueStart = j; continue; }
                if (w is "m") { p.Clitic |= Clitic.First; p.CueStart = j; continue; }
                if (w is "l") { p.Clitic |= Clitic.Third; p.CueStart = j; continue; }
                if (w is "s") { p.Clitic |= Clitic.Self; p.CueStart = j; continue; }
                if ((f & W.ProcliticSecond) != 0) { p.Clitic |= Clitic.Second; p.CueStart = j; continue; }
                if ((f & W.ProcliticThird) != 0 && (f & W.Person) == 0) { p.Clitic |= Clitic.Third; p.CueStart = j; continue; }
                if ((f & W.ProcliticFirst) != 0) { p.Clitic |= Clitic.First; p.CueStart = j; continue; }
                if ((f & W.ProcliticSelf) != 0) { p.Clitic |= Clitic.Self; p.CueStart = j; continue; }
                if ((f & W.Negator) != 0) { p.Negated = true; continue; }
                if (w is "ne" or "io" or "noi" || (f & W.Time) != 0 || w is "giuro" or "che" or "proprio" or "davvero" or "subito" or "ora" or "adesso" or "poi" or "e") continue;
                if ((f & (W.ThirdPerson | W.SecondPerson)) != 0 || (f & W.Person) != 0 && (f & W.Determiner) == 0) p.HasSubject = true;
                break;
            }
            return p;
        }

        private struct GovernorInfo
        {
            public SpeechKind? Kind;
            public string? Description;
            public double Weight;
            public int Start;
            public bool Negated;
            public Clitic Clitic;
            public SpeechModifiers Modifiers;
        }

        /// <summary>What governs an Italian infinitive: "voglio", "sto per", "vado a", "devo", "dobbiamo", "qualcuno dovrebbe", "bisogna", "è ora di"…,
        /// with what stands before the governor: a clitic that climbed to it from the infinitive ("ti voglio ammazzare", "te vengo a
        /// ammazzà", "lo devo uccidere": the restructuring verbs volere, dovere, potere, andare, venire, stare take the infinitive's
        /// clitics) and a negation of the governor ("non voglio ammazzarti", "nn sto per spararti"), which cancels the intent.</summary>
        private GovernorInfo Governor(int start)
        {
            var g = GovernorAt(start);
            if (g.Kind is null) return g;
            var clauseStart = _doc.Clauses[T[g.Start].Clause].FirstToken;
            for (var k = g.Start - 1; k >= clauseStart && g.Start - k <= 4; k--)
            {
                var f = T[k].Flags;
                var w = T[k].Span;
                if ((f & W.Negator) != 0) { g.Negated = true; continue; }
                if (w is "t" or "v" || (f & W.ProcliticSecond) != 0) g.Clitic |= Clitic.Second;
                else if ((f & W.ProcliticFirst) != 0) g.Clitic |= Clitic.First;
                else if ((f & W.ProcliticSelf) != 0) g.Clitic |= Clitic.Self;
                else if ((f & W.ProcliticThird) != 0 && (f & W.Person) == 0 && w is not "la" and not "le") g.Clitic |= Clitic.Third;
                else if (w is "io" or "noi" or "giuro" or "che" or "ke" or "proprio" or "davvero" or "ora" or "adesso" or "mo" || (f & W.Time) != 0) continue;
                else break;
            }
            return g;
        }

        private GovernorInfo GovernorAt(int start)
        {
            var g = new GovernorInfo();
            var clauseStart = _doc.Clauses[T[start].Clause].FirstToken;
            for (var j = start - 1; j >= clauseStart && start - j <= 6; j--)
            {
                var t = T[j];
                var f = t.Flags;
                var w = t.Span;
                var l = t.Lex;
                if ((f & W.Negator) != 0) { g.Negated = true; continue; }
                if ((f & W.ProcliticSecond) != 0) { g.Clitic |= Clitic.Second; continue; }
                if ((f & W.ProcliticFirst) != 0) { g.Clitic |= Clitic.First; continue; }
                if ((f & W.ProcliticSelf) != 0) { g.Clitic |= Clitic.Self; continue; }
                if ((f & W.ProcliticThird) != 0 && (f & W.Person) == 0 && w is not "la" and not "le") { g.Clitic |= Clitic.Third; continue; }
                if (w is "per" or "a" or "ad" or "di" or "da" or "proprio" or "davvero" or "subito" or "presto" or "prima" or "o" or "poi" or "la" or "le" or "ne" or "io" or "noi" or "anche" or "finalmente" or "tutti" || (f & W.Time) != 0) continue;
                if (l?.ItalianLemma is { } lemma)
                {
                    var form = l.Italian;
                    var first = (form & (ItalianForm.FirstPresent | ItalianForm.FirstFuture | ItalianForm.FirstConditional)) != 0;
                    var cond = (form & ItalianForm.FirstConditional) != 0;
                    switch (lemma)
                    {
                        case "volere" when first:
                            return Set(ref g, j, SpeechKind.Threat, cond ? "first person conditional wish" : "first person volitional", cond ? ConditionalIntent : Intent, cond ? SpeechModifiers.Conditional : SpeechModifiers.None);
                        case "stare" when first && FindForward(j, 2, "per") > 0:
                            return Set(ref g, j, SpeechKind.Threat, "first person imminent", Intent);
                        case "andare" or "venire" when first:
                            return Set(ref g, j, SpeechKind.Threat, "first person future", Intent);
                        case "andare" or "venire" when (form & ItalianForm.Imperative) != 0:
                            return Set(ref g, j, SpeechKind.Incitement, "imperative", Call);
                        case "dovere" when (form & ItalianForm.FirstSingular) != 0:
                            return Set(ref g, j, SpeechKind.Threat, "first person obligation", Intent);
                        case "dovere" or "potere" when (form & ItalianForm.FirstPlural) != 0:
                            return Set(ref g, j, SpeechKind.Incitement, "first person plural call", Call);
                        case "dovere" when (form & (ItalianForm.SecondPerson | ItalianForm.Imperative)) != 0:
                            return Set(ref g, j, SpeechKind.Incitement, "call on the reader", Call);
                        case "dovere" when (form & ItalianForm.ThirdPerson) != 0:
                            var caller = CallerBefore(j);
                            return caller >= 0 ? Set(ref g, caller, SpeechKind.Incitement, "call", Call) : g;
                        case "potere" when first:
                            return Set(ref g, j, SpeechKind.Threat, "first person conditional", ConditionalIntent, SpeechModifiers.Conditional);
                        case "fare" or "dare":
                            continue; // "voglio farti…" is read from the outer verb
                        default:
                            return g;
                    }
                }
                // "non vedo l'ora di ammazzarti" (I can't wait to): the negation belongs to the idiom, not to the act.
                if (w is "ora" && j - 3 >= clauseStart && T[j - 1].Span is "l" && T[j - 2].Span is "vedo" or "vediamo" && T[j - 3].Is(W.Negator))
                    return Set(ref g, j - 3, SpeechKind.Threat, "first person eagerness (non vedo l'ora di)", Intent);
                if ((f & W.CallPhrase) != 0 && (w is "bisogna" or "bisognerebbe" or "occorre" or "occorrerebbe" || w is "ora" or "tempo" or "momento" && j > clauseStart && T[j - 1].Span is "e" or "il"))
                    return Set(ref g, j > clauseStart && T[j - 1].Span is "e" or "il" ? j - 1 : j, SpeechKind.Incitement, "call", Call);
                if (w is "pronto" or "pronti" or "intenzione" or "giuro" or "giuriamo" or "deciso" or "prometto" or "inizio" or "comincio" or "iniziero" or "comincero" or "inizieremo" or "cominciamo")
                    return Set(ref g, j, SpeechKind.Threat, "first person volitional", Intent);
                break;
            }
            return g;
        }

        private static GovernorInfo Set(ref GovernorInfo g, int start, SpeechKind kind, string description, double weight, SpeechModifiers modifiers = SpeechModifiers.None)
        {
            g.Kind = kind;
            g.Description = description;
            g.Weight = weight;
            g.Start = start;
            g.Modifiers = modifiers;
            return g;
        }

        /// <summary>"qualcuno", "ogni vero credente", "tutti i fratelli" within four words before <paramref name="j"/>.</summary>
        private int CallerBefore(int j)
        {
            var clauseStart = _doc.Clauses[T[j].Clause].FirstToken;
            var found = -1;
            for (var k = j - 1; k >= clauseStart && j - k <= 4; k--)
                if (T[k].Is(W.Caller)) found = k;
                else if (!T[k].Is(W.Determiner) && found >= 0) break;
            return found;
        }

        /// <summary>"Andrebbero impiccati", "vanno ammazzati", "devono essere sterminati", "meritano di essere uccisi".</summary>
        private bool ItalianPassiveCall(int i, int end, ActInfo act)
        {
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            var negated = false;
            for (var j = i - 1; j >= clauseStart && i - j <= 5; j--)
            {
                var t = T[j];
                if (t.Is(W.Negator)) { negated = true; continue; }
                if (t.Span is "essere" or "di" or "tutti" or "subito" or "proprio" or "stati") continue;
                var l = t.Lex;
                if (l?.ItalianLemma is "andare" && (l.Italian & (ItalianForm.Conditional3 | ItalianForm.Present3)) != 0
                    || l?.ItalianLemma is "dovere" or "meritare" && (l.Italian & (ItalianForm.Conditional3 | ItalianForm.Present3)) != 0 && FindForward(j, 3, "essere") > 0
                    || t.Span is "vengano" or "venga" or "siano" or "sia" && j > clauseStart && T[j - 1].Span is "che")
                {
                    // "non vanno fucilati": a negation before the governor cancels the call too.
                    if (negated || j > clauseStart && T[j - 1].Is(W.Negator)) return true;
                    var c = new Chain { Subject = -1, CallerStart = -1, CueStart = j };
                    // Italian drops the subject: "andrebbero sterminati", "vanno impiccati in piazza" say "they" in the verb's
                    // ending. With no named subject, a verb that only ever takes people names them through its governor.
                    var implied = act is { Strong: true, Targets: TargetKinds.People } && (j == clauseStart || T[j - 1].Is(W.Conjunction))
                        && FindTarget(i, end, act.Targets, before: true).Token < 0 ? j : -1;
                    Emit(SpeechKind.Incitement, i, end, act, c, implied >= 0 ? "passive call (subject implied by the verb)" : "passive call", Call,
                        targetBefore: true, forcedTarget: implied, language: "it");
                    return true;
                }
                return false;
            }
            return false;
        }

        private bool IsInterjection(int i)
        {
            // "Ammazza che caldo!", "ammazza oh": the interjection, not the verb.
            var n = Next(i);
            return T[i].Span is "ammazza" && n >= 0 && T[n].Span is "che" or "quanto" or "quanta" or "quanti" or "come" or "oh" or "o" or "raga" or "ragazzi" or "ma" or "se" or "eh" or "bello" or "bella";
        }

        // ================= nominal acts, doom, death wishes =================

        /// <summary>"There will be a massacre", "ci sarà una strage", "I'm going to commit a massacre at the school", "there's a bomb in the station".</summary>
        private void NominalAct(int i)
        {
            if (T[i].Lex?.Act is not null && !PreviousIs(i, W.Determiner)) return; // a verb here ("bomb the school"): read as an act
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            var existential = false;
            var future = false;
            var firstPerson = false;
            var negated = false;
            var cue = i;
            for (var j = i - 1; j >= clauseStart && i - j <= 6; j--)
            {
                var t = T[j];
                var w = t.Span;
                if (t.Is(W.Negator)) negated = true;
                if (w is "there" or "theres" or "ce" || w is "ci" && Next(j) is var n && n >= 0 && T[n].Span is "sara" or "saranno" or "sono" or "e") { existential = true; cue = j; }
                if ((t.Is(W.Future) || t.Is(W.Volition)) && w is not "well" || w is "sara" or "saranno") { future = true; cue = Math.Min(cue, j); }
                if ((t.Is(W.FirstSingular) || t.Is(W.FirstPlural)) && w is not "well" and not "ill" and not "id") { firstPerson = true; cue = Math.Min(cue, j); }
                var l = t.Lex;
                if (l?.ItalianLemma is "fare" && (l.Italian & (ItalianForm.FirstFuture | ItalianForm.FirstPresent)) != 0) { NominalWithVerb(j, l, i); return; }
            }
            if (negated) return;
            var bomb = T[i].Span is "bomb" or "bombs" or "bomba" or "bombe";
            string? description = null;
            if (existential && (future || bomb)) description = future ? "announced" : "bomb threat";
            else if (firstPerson && future) description = "first person future";
            if (description is null) return;
            if (!HasTime(i) && FindPlace(i) < 0 && FindTarget(i, i, TargetKinds.Both, false).Token < 0) return;
            var c = new Chain { Subject = -1, CallerStart = -1, CueStart = cue };
            Emit(SpeechKind.Threat, i, i, new ActInfo(T[i].Span.ToString(), true, TargetKinds.Both), c, description, ImpliedIntent, requireTarget: false);
        }

        /// <summary>"Farò una strage a scuola".</summary>
        private void NominalWithVerb(int verb, Lex lex, int noun)
        {
            var pre = ScanItalian(verb);
            if (pre.Negated) return;
            if ((lex.Italian & (ItalianForm.FirstFuture | ItalianForm.FirstPresent)) == 0) return;
            if (!HasTime(noun) && FindPlace(noun) < 0 && FindTarget(noun, noun, TargetKinds.Both, false).Token < 0) return;
            var c = new Chain { Subject = -1, CallerStart = -1, CueStart = pre.CueStart };
            var description = (lex.Italian & ItalianForm.FirstFuture) != 0 ? "first person future" : HasTime(noun) ? "first person present-for-future" : "first person present";
            Emit(SpeechKind.Threat, verb, noun, new ActInfo(T[noun].Span.ToString(), true, TargetKinds.Both, Language: "it"), c, description, Intent, requireTarget: false, language: "it");
        }

        /// <summary>"You're dead", "you will die", "you're next", "sei morto", "sei il prossimo", "morirai", "i tuoi giorni sono contati".</summary>
        private void Doom(int i)
        {
            var w = T[i].Span;
            var lex = T[i].Lex!;
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            if (w is "dead" && DeadMan(i, clauseStart)) return;
            var you = -1;
            var negated = false;
            var be = false;
            var future = false;
            for (var j = i - 1; j >= clauseStart && i - j <= 5; j--)
            {
                var t = T[j];
                if (t.Is(W.Negator)) negated = true;
                if (t.Is(W.Be)) be = true;
                if (t.Is(W.Future) || t.Is(W.Volition)) future = true;
                if (t.Is(W.SecondPerson) || t.Span is "sei" or "siete" or "tuoi" or "your" or "hai") { you = j; if (t.Span is "youre" or "sei" or "siete") be = true; if (t.Span is "youll") future = true; break; }
                if (t.Is(W.FirstSingular) || t.Is(W.FirstPlural) || t.Is(W.ThirdPerson)) return;
            }
            var italianFuture = lex.ItalianLemma == "morire" && (lex.Italian & ItalianForm.SecondPerson) != 0 && (w.EndsWith("ai") || w.EndsWith("ete"));
            if (italianFuture && you < 0) you = i;
            if (you < 0 || negated) return;
            var n = Next(i);
            var after = n >= 0 ? T[n].Span : default;
            string? description = null;
            if (w is "dead" or "morto" or "morta" or "morti" && be && after is not ("to" or "inside" or "tired" or "serious" or "wrong" or "right" or "dentro" or "di" or "dal" or "dalla" or "dalle")) description = "'you are dead'";
            else if (w is "die" && future && after is not ("laughing" or "of" or "from" or "when" or "if" or "happy" or "alone" or "old" or "young" or "for" or "in" or "dal" or "di")) description = "'you will die'";
            else if (italianFuture && after is not ("dal" or "di" or "dalle" or "dalla")) description = "'you will die'";
            else if (w is "next" or "prossimo" or "prossima" && be && !HasGame(i) && (n < 0 || NextIsClauseEnd(i) || after is "bastard" or "bitch" or "stronzo" or "bastardo" or "motherfucker" or "traitor" or "traditore")) description = "'you are next'";
            else if (w is "numbered" or "contati" && T[clauseStart].Span is "your" or "i" or "tuoi" or "hai") description = "'your days are numbered'";
            if (description is null) return;
            var c = new Chain { Subject = you, CallerStart = -1, CueStart = you };
            Emit(SpeechKind.Threat, i, i, new ActInfo(w.ToString(), false, TargetKinds.People, Language: lex.ItalianLemma is not null || w is "morto" or "morta" or "morti" or "prossimo" or "contati" ? "it" : "en"),
                c, "doom to the second person " + description, ImpliedIntent, forcedTarget: you);
        }

        /// <summary>"You're a dead man", "the guy who… is a dead man": a verdict of death on the subject, anyone but the speaker.</summary>
        private bool DeadMan(int i, int clauseStart)
        {
            var n = Next(i);
            if (n < 0 || T[n].Span is not ("man" or "men" or "woman" or "meat") || i - 2 < clauseStart || T[i - 1].Span is not "a" || !T[i - 2].Is(W.Be) && T[i - 2].Span is not "ur") return false;
            if (n + 1 < _doc.Count && T[n + 1].Clause == T[n].Clause && T[n + 1].Span is "walking") return false; // "a dead man walking": a film, a phrase
            var subject = -1;
            for (var j = i - 1; j >= clauseStart && i - j <= 10; j--)
            {
                var t = T[j];
                if (t.Is(W.Negator)) return true;
                if (t.Is(W.FirstSingular) || t.Is(W.FirstPlural) || t.Span is "was" or "were") return true; // "I'm a dead man", "he was a dead man"
                if (subject < 0 && (t.Is(W.Person) || t.Is(W.SecondPerson) || t.Is(W.ThirdPerson) || t.Lex is null && j > clauseStart && T[j - 1].Is(W.Determiner))) subject = j;
            }
            if (subject < 0) return true;
            var c = new Chain { Subject = subject, CallerStart = -1, CueStart = subject };
            Emit(SpeechKind.Threat, i, n, new ActInfo("dead man", false, TargetKinds.People), c, "verdict 'a dead man'", ImpliedIntent, forcedTarget: subject);
            return true;
        }

        /// <summary>"The nurse who reported me is getting stabbed", "ur getting shot", "he's gonna get killed", "they will be
        /// executed": a future or progressive passive of a violent act, its subject the target — unless the sentence reads as news.</summary>
        private bool PassiveFuture(int i, int end, ActInfo act)
        {
            if (!act.Strong) return false;
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            var j = i - 1;
            while (j >= clauseStart && T[j].Span is "just" or "really" or "all" or "both" or "definitely" or "so" or "fucking" or "literally") j--;
            if (j < clauseStart) return false;
            var getting = T[j].Span is "getting" or "gettin" or "get" or "gets";
            var futureBe = T[j].Span is "be" && j - 1 >= clauseStart && (T[j - 1].Is(W.Future) || T[j - 1].Span is "to" && j - 2 >= clauseStart && T[j - 2].Span is "going" or "about");
            if (!getting && !futureBe) return false;
            var c = ScanChain(j);
            if (c.Negated || !(futureBe || c.Be || c.Future || c.Volition || getting && (c.SubjectFlags & W.SecondPerson) != 0)) return false;
            if ((c.SubjectFlags & (W.FirstSingular | W.FirstPlural)) != 0) return true; // "I'm getting killed if…": the speaker
            if (T[j].Span is "get" && !c.Future && !c.Volition) return false; // "people get shot here": a habit, not an announcement
            var s = _doc.Sentences[T[i].Sentence];
            if (NewsOutsideRelative(s) || ReportedBefore(s, i)) return true;
            var target = c.Subject >= 0 && (T[c.Subject].Is(W.Person) || T[c.Subject].Is(W.Group) || T[c.Subject].Is(W.SecondPerson)) ? c.Subject : -1;
            // The subject: a person word, or any noun after a determiner ("the accountant who fired me is getting shot").
            if (target < 0)
                for (var k = j - 1; k >= s.First && j - k <= 8; k--)
                    if (T[k].Is(W.Person) || T[k].Is(W.Group) || T[k].Lex is null && k > s.First && T[k - 1].Is(W.Determiner) && !IsNumber(k)) { target = k; break; }
            if (target < 0) return true;
            c.CueStart = j;
            Emit(SpeechKind.Threat, i, end, act, c, "announced passive", ImpliedIntent, forcedTarget: target, targetBefore: true);
            return true;
        }

        private bool NextTargetOrPlace(int r)
        {
            var sEnd = _doc.Sentences[T[r].Sentence].End;
            for (var j = r + 1; j < sEnd && j - r <= 4; j++) if (T[j].Is(W.Place) || T[j].Is(W.Person) && !T[j].Is(W.ProcliticThird) || T[j].Is(W.Crowd)) return true;
            return false;
        }

        private int PlaceBefore(int i)
        {
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            for (var j = i; j >= clauseStart && i - j <= 5; j--) if (T[j].Is(W.Place)) return j;
            return -1;
        }

        /// <summary>News words near the sentence, except in a relative clause naming the target ("the nurse who reported me").</summary>
        private bool NewsOutsideRelative(Sentence s)
        {
            var index = SentenceIndex(s);
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1); k++)
            {
                var o = _doc.Sentences[k];
                for (var j = o.First; j < o.End; j++)
                    if (T[j].Is(W.News) && !(j > o.First && T[j - 1].Span is "who" or "that" or "which" or "che" or "chi")) return true;
            }
            return false;
        }

        private bool NextIsClauseEndOrTime(int i)
        {
            var n = Next(i);
            return n < 0 || T[n].Clause != T[i].Clause || IsTime(n) || T[n].Is(W.TimeLead) || T[n].Span is "down" or "to" or "with";
        }

        /// <summary>Words that show a weapon is for something else: cooking, hunting, sport, repairs.</summary>
        private static readonly HashSet<string> PeacefulUse = new(StringComparer.Ordinal)
        {
            "cake", "bread", "carve", "carving", "cook", "cooking", "dinner", "bbq", "barbecue", "hunting", "deer", "range", "camping", "fishing", "lawn", "mower",
            "generator", "engine", "pumpkin", "steak", "meat", "turkey", "fruit", "vegetables", "veg", "sharpen", "sharpening", "collection", "museum", "display",
            "auction", "repair", "cleaning", "licence", "license", "prop", "props", "costume", "cosplay", "halloween", "paintball", "airsoft", "nerf", "water",
            "torta", "pane", "caccia", "poligono", "cinghiale", "cinghiali", "pesca", "cucina", "cucinare", "arrosto", "campeggio", "carnevale", "softair", "collezione",
            "defence", "defense", "difesa", "self", "rider", "riders", "delivery", "consegna", "consegne", "trasloco", "moving",
        };

        /// <summary>Verbs of bringing or turning up with something, English and Italian, for "I'm bringing a gun", "porto la pistola".</summary>
        private static readonly HashSet<string> CarryWords = new(StringComparer.Ordinal)
        {
            "with", "bringing", "bring", "got", "packing", "carrying", "carry", "grab", "grabbing", "buying", "buy", "taking", "take",
            "col", "con", "coi", "driving", "drive", "porto", "portero", "porteremo", "portiamo", "prendo", "prendero",
        };

        private static readonly HashSet<string> ItalianComingWords = new(StringComparer.Ordinal)
        {
            "porto", "portero", "porteremo", "portiamo", "vengo", "verro", "veniamo", "vado", "andro", "andiamo", "arrivo", "arrivero", "entro", "entrero",
            "aspetto", "aspettero", "presento", "presentero", "torno", "tornero", "prendo", "prendero", "butto", "buttero", "lancio", "lancero", "piombo",
        };

        private bool HasPeacefulUse(Sentence s)
        {
            for (var j = s.First; j < s.End; j++) if (PeacefulUse.Contains(T[j].Span.ToString())) return true;
            return false;
        }

        private static bool IsVehicle(ReadOnlySpan<char> w) => w is "truck" or "lorry" or "van" or "camion" or "furgone" or "car" or "macchina" or "auto" or "suv" or "furgoncino";

        /// <summary>
        /// A weapon as the means of a threat: "a knife in his gut", "a bullet in your head" (a weapon in someone's body);
        /// "deserve a bullet" (a death wish); "I'll be at the gates with my rifle", "I'm bringing petrol", "ti aspetto col
        /// coltello", "porto la pistola", "ci vado armato" (the speaker arriving armed, with a time, place or person).
        /// </summary>
        private void Weapon(int i)
        {
            var w = T[i].Span;
            var s = _doc.Sentences[T[i].Sentence];
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            if (HasPeacefulUse(s)) return;
            // A weapon in someone's body.
            var p = FindForward(i, 2, "in|into|through|nel|nella|in|alla|nello");
            if (p > 0 && p + 1 < s.End && !IsVehicle(w) && (IsPossessedBodyPart(p + 1) || p + 2 < s.End && IsPossessedBodyPart(p + 2)))
            {
                var cue = -1;
                var negated = false;
                for (var j = i - 1; j >= clauseStart && i - j <= 6; j--)
                {
                    var t = T[j];
                    if (t.Is(W.Negator)) negated = true;
                    if (t.Span is "got" or "took" or "had" or "was" or "were" or "found" or "died" or "with" or "ha" or "aveva" or "preso") return; // a past injury, a report
                    if (t.Is(W.Future) || t.Is(W.Volition) || t.Is(W.Deserve) || t.Is(W.Obligation) || t.Span is "getting" or "gets" or "get") cue = j;
                }
                var owner = IsPossessedBodyPart(p + 1) ? p + 1 : p + 2;
                if (negated || cue < 0 && !(i - 1 < clauseStart || T[i - 1].Is(W.Determiner) && i - 2 < clauseStart)) return;
                var c = new Chain { Subject = -1, CallerStart = -1, CueStart = cue >= 0 ? cue : i };
                Emit(SpeechKind.Threat, i, owner, new ActInfo(w.ToString(), true, TargetKinds.People), c, "weapon in the body", ImpliedIntent, forcedTarget: owner);
                return;
            }
            // "deserve a bullet", "meritano una pallottola": a death wish on the subject.
            if (w is "bullet" or "bullets" or "rope" or "noose" && FindBackward(i, 3, "deserve|deserves|deserved|need|needs|earned") is var d && d >= 0 && !PrecededByNegator(d, 2))
            {
                var c = new Chain { Subject = -1, CallerStart = -1, CueStart = d };
                Emit(SpeechKind.Incitement, i, i, new ActInfo(w.ToString(), true, TargetKinds.People), c, "death wish", Call, targetBefore: true);
                return;
            }
            if (IsVehicle(w) && !(FindForward(i, 3, "into|through|on|onto|su|sulla|sul|sui|sulle|contro|addosso|dentro") is var r && r > 0
                && NextTargetOrPlace(r))) return;
            // The speaker arriving armed: a first-person subject (or an Italian first-person verb) and a carrying word before the weapon.
            var carry = false;
            var subject = -1;
            var future = false;
            for (var j = i - 1; j >= s.First && i - j <= 20; j--)
            {
                var t = T[j];
                var tw = t.Span.ToString();
                if (t.Is(W.Negator)) return;
                if (i - j <= 4 && CarryWords.Contains(tw)) carry = true;
                if (t.Is(W.Future) || t.Is(W.Volition) || tw is "bringing" or "coming" or "going" or "waiting" or "packing" or "carrying" or "arriving" or "turning" or "showing") future = true;
                if (ItalianComingWords.Contains(tw) && subject < 0) { subject = j; future = true; }
                if ((t.Is(W.FirstSingular) || t.Is(W.FirstPlural) || tw is "were" && j == s.First) && tw is not "id" and not "mi" && subject < 0) subject = j;
                if (t.Is(W.ThirdPerson) && !t.Is(W.Person) && subject < 0) return; // "he's bringing a gun": someone else
            }
            var armed = w is "armato" or "armata" or "armati";
            if (subject < 0 || !(carry || armed)) return;
            var time = FindTime(i);
            var place = FindPlace(i);
            // A condition makes the arrival a consequence still to come: "if they fire me I come back with my rifle",
            // "se mi licenziano torno col fucile", "you fire me, I come back with…" (a clause addressed to "you" before the speaker's).
            var conditioned = HasConditionWord(s) || ParatacticCondition(s, subject);
            if (!future && time < 0 && !conditioned) return;
            var person = -1;
            for (var j = s.First; j < s.End; j++)
                if ((T[j].Is(W.Person) || T[j].Is(W.Group) || T[j].Is(W.ProcliticSecond)) && !T[j].Is(W.Self) && T[j].Span is not ("la" or "le" or "lo" or "li" or "gli" or "loro" or "te")) { person = j; break; }
            if (time < 0 && place < 0 && person < 0 && !conditioned) return;
            var ch = new Chain { Subject = subject, CallerStart = -1, CueStart = subject };
            Emit(SpeechKind.Threat, i, i, new ActInfo(w.ToString(), true, TargetKinds.Both, Language: LanguageOf(subject)), ch, "first person arriving armed", future ? Intent : PresentIntent,
                forcedTarget: person >= 0 ? person : place, requireTarget: false);
        }

        /// <summary>Italian threats with a second-person clitic and a verb the generated table does not hold, standard or dialect:
        /// "ti sotterro", "ti sbudello", "ti sfondo", "t'accir", "ti apro la testa", "ti spacco la faccia", "ti stacco la testa".</summary>
        private void SecondPersonClitic(int i)
        {
            var n = Next(i);
            if (n < 0 || T[n].Clause != T[i].Clause) return;
            var v = T[n].Span;
            var third = T[i].Is(W.ProcliticThird) && !T[i].Is(W.ProcliticSecond);
            var alone = !third && v is "sfondo" || v is "sotterro" or "sbudello" or "accir" or "accido" or "accid" or "scasso" or "squarto" or "sfregio" or "ammazz" or "spar";
            var withBody = v is "apro" or "spacco" or "stacco" or "taglio" or "buco" or "rompo" or "sfascio" or "gonfio" or "riempio";
            if (!alone && !withBody) return;
            if (T[n].Lex?.Act is not null) return; // in the table: read by ItalianAct
            if (withBody && FindForward(n, 3, "testa|faccia|gola|pancia|collo|gambe|culo|denti|botte|mazzate|coltellate|piombo|due") < 0) return;
            if (PrecededByNegator(i, 3)) return;
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            for (var j = i - 1; j >= clauseStart && i - j <= 3; j--)
                if (T[j].Is(W.ThirdPerson) || T[j].Is(W.Person) && !T[j].Is(W.FirstSingular) && !T[j].Is(W.Conjunction)) return; // someone else does it
            var c = new Chain { Subject = -1, CallerStart = -1, CueStart = i };
            var end = withBody ? Math.Max(n, FindForward(n, 3, "testa|faccia|gola|pancia|collo|gambe|culo|denti|botte|mazzate|coltellate|piombo|due")) : n;
            Emit(SpeechKind.Threat, n, end, new ActInfo(v.ToString(), true, TargetKinds.People, Language: "it"), c, "first person present", ImpliedIntent, forcedTarget: i, language: "it");
        }

        /// <summary>"They deserve to die", "X must die", "death to X", "meritano di morire", "devono morire", "a morte gli X", "che muoiano tutti".</summary>
        private void DeathWish(int i)
        {
            var t = T[i];
            var w = t.Span;
            var clauseStart = _doc.Clauses[t.Clause].FirstToken;
            if ((t.Flags & W.Death) != 0)
            {
                // "death to X", "morte agli X", "a morte X".
                var n = Next(i);
                if (n < 0 || T[n].Clause != t.Clause) return;
                var isSlogan = w is "death" && T[n].Span is "to" || w is "morte" && (T[n].Span is "a" or "ai" or "agli" or "alle" or "al" or "alla" || i > clauseStart && T[i - 1].Span is "a");
                if (!isSlogan) return;
                if (i > clauseStart && T[i - 1].Is(W.Negator)) return;
                // "augura la morte ai migranti", "wishing the death to": a noun phrase someone else utters, not the slogan.
                if (i > clauseStart && (T[i - 1].Span is "la" or "una" or "the" || T[i - 1].Span is "a" && w is "death")) return;
                var c = new Chain { Subject = -1, CallerStart = -1, CueStart = i > clauseStart && T[i - 1].Span is "a" ? i - 1 : i };
                Emit(SpeechKind.Incitement, i, n, new ActInfo(w.ToString(), true, TargetKinds.People, Language: w is "morte" ? "it" : "en"), c, "death slogan", Call);
                return;
            }
            if (w is "dead" or "died" or "dying") return;
            // "deserve to die", "must die", "meritano di morire", "devono morire", "che muoiano".
            var negated = false;
            for (var j = i - 1; j >= clauseStart && i - j <= 4; j--)
            {
                var p = T[j];
                if (p.Is(W.Negator)) { negated = true; continue; }
                if (p.Span is "to" or "di" or "just" or "all" or "tutti" or "simply" or "semplicemente" || p.Is(W.Chain) && !p.Is(W.Obligation) && !p.Is(W.Deserve) && p.Span is not "che") continue;
                var l = p.Lex;
                var call = p.Is(W.Deserve) || p.Is(W.Obligation) && p.Span is not "have" and not "has"
                    || l?.ItalianLemma is "dovere" or "meritare" && (l.Italian & (ItalianForm.ThirdPerson | ItalianForm.Conditional3 | ItalianForm.Present3 | ItalianForm.SecondPerson)) != 0
                    || p.Span is "che" && (t.Lex?.Italian & ItalianForm.Subjunctive3) != 0 && j == clauseStart;
                if (!call || negated) return;
                // Who must die: the subject before the modal. Not the speaker ("I want to die", "I deserve to die").
                var s = j - 1 >= clauseStart ? j - 1 : -1;
                if (s >= 0 && (T[s].Is(W.FirstSingular) || T[s].Is(W.FirstPlural) || T[s].Span is "mi" or "ci")) return;
                if (t.Lex?.Italian is var f && f is not null && (f & ItalianForm.FirstPresent) != 0) return;
                var c = new Chain { Subject = s, CallerStart = -1, CueStart = j };
                Emit(SpeechKind.Incitement, i, i, new ActInfo(w.ToString(), true, TargetKinds.People, Language: t.Lex?.ItalianLemma is not null ? "it" : "en"), c, "death wish", Call, targetBefore: true);
                return;
            }
        }

        // ================= glorification and support =================

        /// <summary>English imperatives that open attack instructions ("go for the neck", "target the tourists", "bring two knives").</summary>
        private static readonly HashSet<string> InstructionVerbs = new(StringComparer.Ordinal)
        {
            "go", "target", "aim", "hit", "strike", "pick", "choose", "select", "bring", "grab", "take", "use", "wait", "carry", "drive", "ram", "park", "wear", "focus", "buy", "get", "hide",
            "andate", "vai", "prendete", "prendi", "aspettate", "aspetta", "colpite", "colpisci", "mirate", "mira", "scegliete", "scegli", "portate", "porta", "usate", "usa",
            "puntate", "entrate", "entra", "accelerate", "accelera", "nascondete", "parcheggiate", "lanciatevi", "buttatevi", "comprate", "compra", "procuratevi", "procurati",
        };

        /// <summary>Words after "when"/"quando" that time an attack to its victims ("when the doors open", "quando dormono").</summary>
        private static readonly HashSet<string> VictimTiming = new(StringComparer.Ordinal)
        {
            "open", "opens", "sleep", "sleeping", "asleep", "leave", "leaves", "leaving", "pray", "praying", "arrive", "arrives", "exit", "come", "queue", "gather",
            "aprono", "apre", "dormono", "dorme", "escono", "esce", "entrano", "entra", "pregano", "arrivano", "arriva", "sono", "vada", "vanno",
        };

        /// <summary>Words that make a crowd or a time a matter of violence rather than of shopping or travel: arms, guards, fighting back.</summary>
        private static readonly HashSet<string> ViolentContext = new(StringComparer.Ordinal)
        {
            "armed", "unarmed", "security", "guards", "guard", "fight", "resist", "escape", "run", "controllo", "controlli", "scorta", "armati", "armato", "guardie",
            "sorveglianza", "scappare", "reagire", "reagiscono", "victims", "vittime", "police", "cops", "polizia", "sbirri",
        };

        /// <summary>Words that make "target"/"aim" marketing or sport advice.</summary>
        private static readonly HashSet<string> PeacefulTargeting = new(StringComparer.Ordinal)
        {
            "ads", "ad", "advert", "adverts", "marketing", "audience", "customers", "customer", "sales", "brand", "seo", "clients", "offer", "discount", "campaign",
            "clienti", "pubblicita", "vendite", "promo", "deal", "deals", "coupon", "photo", "photos", "pictures", "selfie", "shots", "foto", "tickets", "biglietti",
            "goal", "goalkeeper", "keeper", "defender", "defence", "defense", "difesa", "attacker", "aggressore", "assailant", "mugger", "sparring", "boxing", "mma", "ufc",
            "wrestling", "bjj", "judo", "karate", "portiere", "porta", "difensore", "gol", "canestro", "basket", "sale", "saldi", "shopping", "vote", "votes", "voters", "elettori",
        };

        /// <summary>
        /// Attack instructions: an imperative or piece of advice ("go for…", "target…", "bring…", "the best time is…", "il momento
        /// migliore è…", "andate…") + a method (a weapon, a body part to aim at, a violent act, choosing a crowd or a moment when the
        /// victims are exposed) + a human target or a crowded place. A crowd or a moment alone is a method only with a word of
        /// violence nearby ("nobody armed", "nessun controllo"); marketing, sport and self-defence words cancel.
        /// </summary>
        private void Instructions(Sentence s)
        {
            var cue = -1;
            var method = -1;
            var selection = -1;
            var target = -1;
            var violent = false;
            for (var i = s.First; i < s.End; i++)
            {
                var t = T[i];
                var w = t.Span.ToString();
                if (PeacefulTargeting.Contains(w)) return;
                if (cue < 0 && IsInstructionCue(i)) cue = i;
                if (t.Is(W.Weapon) && !IsVehicle(t.Span) || t.Lex?.Act is { Strong: true } && !IsIdiom(i, t.Lex.Act) && (t.Lex.English & (EnglishForm.Base)) != 0 && t.Lex.Act.Needs is null
                    || t.Lex?.Act is { Strong: true, Language: "it" } && (t.Lex.Italian & ItalianForm.Imperative) != 0
                    || t.Is(W.BodyPart) && FindBackward(i, 3, "for|at|per|alla|al|mirate|mira|into") >= 0)
                {
                    if (method < 0) method = i;
                    violent = true;
                }
                if (IsVehicle(t.Span) && FindForward(i, 12, "into|accelerate|accelera|accelerate|contro|addosso|folla|crowd|crowds") >= 0) { if (method < 0) method = i; violent = true; }
                if (ViolentContext.Contains(w) || t.Is(W.Die) || t.Lex?.Act is { } a && !IsIdiom(i, a) && (t.Lex.Italian & ItalianForm.Imperative) != 0) violent = true;
                if (selection < 0 && t.Is(W.Crowd)) selection = i;
                // A moment when the victims are exposed: "when the doors open", "quando dormono"; the sleepers are the target.
                if (selection < 0 && w is "when" or "quando" or "while" or "mentre" or "finche" or "until" or "till" && NextTiming(i)) { selection = i; if (target < 0) target = i; }
                // "wait until he is alone", "aspettate che vada in palestra": waiting for the moment is choosing it.
                if (selection < 0 && w is "wait" or "aspettate" or "aspetta" && FindForward(i, 2, "until|till|for|che|finche|quando|when") > 0) selection = i;
                if (target < 0 && ((t.Is(W.Person) || t.Is(W.Group)) && !t.Is(W.Self) && !t.Is(W.FirstSingular) && w is not ("la" or "le" or "lo" or "li" or "gli" or "loro" or "te" or "you" or "u")
                    || t.Is(W.Place) && HasPlaceLead(i) || t.Is(W.Crowd))) target = i;
            }
            if (cue < 0) return;
            if (!violent) violent = NearSentenceAny(s, ViolentContext);
            if (method < 0 && selection >= 0 && violent) method = selection;
            if (method < 0 && T[cue].Span is "target" or "aim" && violent && target >= 0) method = cue;
            if (method < 0 || target < 0 || PrecededByNegator(cue, 2) && T[cue].Span is not "serve") return;
            var time = FindTime(cue);
            var place = FindPlace(cue);
            var score = 0.3 + 0.3 + 0.2 + (time >= 0 ? TimeWeight : 0) + (place >= 0 ? PlaceWeight : 0);
            var mods = Modifiers(cue, s);
            if (NearSentenceNews(s)) mods |= SpeechModifiers.NewsContext;
            score = Modulate(Math.Min(1, score), mods);
            var explanation = $"instruction '{_doc.Original(cue, Math.Min(s.End - 1, cue + 2))}' + method '{_doc.Original(method, Math.Min(s.End - 1, method + (T[method].Is(W.Crowd) ? 1 : 0)))}' + target '{TargetPhrase(target)}'"
                              + (time >= 0 ? $" + time '{TimePhrase(time)}'" : "") + Caveats(mods);
            Add(SpeechKind.Instructions, score, explanation, _doc.Original(cue, cue), TargetPhrase(target), time >= 0 ? TimePhrase(time) : null, place >= 0 ? PlacePhrase(place) : null, mods, LanguageOf(cue), s);
        }

        /// <summary>News or history words near the sentence, other than the police (who are as often the target as the reporter).</summary>
        private bool NearSentenceNews(Sentence s)
        {
            var index = SentenceIndex(s);
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1); k++)
            {
                var o = _doc.Sentences[k];
                for (var j = o.First; j < o.End; j++) if (T[j].Is(W.News) && T[j].Span is not ("police" or "polizia")) return true;
            }
            return false;
        }

        private bool NextTiming(int i)
        {
            var sEnd = _doc.Sentences[T[i].Sentence].End;
            for (var j = i + 1; j < sEnd && j - i <= 5; j++)
                if (VictimTiming.Contains(T[j].Span.ToString())) return true;
            return false;
        }

        private bool NearSentenceAny(Sentence s, HashSet<string> words)
        {
            var index = SentenceIndex(s);
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1); k++)
            {
                var o = _doc.Sentences[k];
                for (var j = o.First; j < o.End; j++) if (words.Contains(T[j].Span.ToString())) return true;
            }
            return false;
        }

        /// <summary>An imperative at a clause start from <see cref="InstructionVerbs"/>, or advice: "the best time/place is",
        /// "il momento/posto migliore", "all you need is", "basta", "you should/need to" + verb.</summary>
        private bool IsInstructionCue(int i)
        {
            var w = T[i].Span;
            if (_doc.Sentences[T[i].Sentence].Question) return false;
            // An Italian second-person plural imperative ("aspettate", "prendete") is one after a conditional clause too: "se il
            // bersaglio ha la scorta aspettate che…".
            if (InstructionVerbs.Contains(w.ToString()) && w.EndsWith("te") && !IsClauseInitial(i) && FindBackward(i, 8, "se|quando|appena") >= 0 && FindBackward(i, 3, "voi") < 0)
                return true;
            if (InstructionVerbs.Contains(w.ToString()) && IsClauseInitial(i))
            {
                // "go" needs a direction or a time: "go for", "go to", "go when", "go in"; not "go home", "let it go".
                if (w is "go" && FindForward(i, 1, "for|to|when|in|after|at") < 0 && FindForward(i, 2, "when") < 0) return false;
                if (w is "get" or "take" && FindForward(i, 3, "knife|knives|gun|guns|rifle|blade|machete|petrol|gasoline|acid|truck|van|lorry") < 0) return false;
                return true;
            }
            if (w is "best" or "migliore" or "ideale" && i > 0 && T[i - 1].Span is "time" or "place" or "spot" or "target" or "momento" or "posto" or "bersaglio" or "the" or "il") return true;
            if (w is "momento" or "posto" && FindForward(i, 1, "migliore|ideale|giusto") > 0) return true;
            if (w is "need" && i > 0 && T[i - 1].Span is "you" && i > 1 && T[i - 2].Span is "all") return true;
            if (w is "basta" or "serve" && IsClauseInitial(i) || w is "serve" && i > 0 && T[i - 1].Is(W.Negator)) return true;
            return false;
        }

        private void Glorification(Sentence s)
        {
            double praise = 0;
            var praises = 0;
            var praiseToken = -1;
            var reference = -1;
            var designated = false;
            for (var i = s.First; i < s.End; i++)
            {
                var t = T[i];
                if (t.Is(W.Praise) && IsPraise(i))
                {
                    var strong = IsStrongPraise(i);
                    praises++;
                    praise = Math.Max(praise, strong ? StrongPraise : WeakPraise);
                    if (praiseToken < 0 || strong && !IsStrongPraise(praiseToken)) praiseToken = i;
                }
                if (IsReference(i, out var isDesignated) && (reference < 0 || isDesignated && !designated))
                {
                    reference = i;
                    designated |= isDesignated;
                }
            }
            if (praiseToken < 0) return;
            var nearby = false;
            // Praise in one sentence and the attack in the next only counts for strong praise ("He is a martyr. He attacked the church.").
            if (reference < 0 && praise >= StrongPraise)
            {
                reference = ReferenceNear(s);
                nearby = reference >= 0;
            }
            if (reference < 0) return;
            if (HasInSentence(s, W.Counter | W.Victim)) return;
            var score = praise + (nearby ? ReferenceNearby : ReferenceSameSentence) + (praises > 1 ? MorePraise : 0) + (designated ? 0.05 : 0);
            var mods = SpeechModifiers.None;
            if (ReportedBefore(s, praiseToken)) mods |= SpeechModifiers.Reported;
            if (NearSentence(s, W.News)) mods |= SpeechModifiers.NewsContext;
            if (s.Question) mods |= SpeechModifiers.Question;
            if (HasGame(praiseToken)) mods |= SpeechModifiers.GameContext;
            if (IsQuotedWithOwnWords(praiseToken)) mods |= SpeechModifiers.Quoted;
            score = Modulate(Math.Min(1, score), mods);
            var explanation = $"praise '{PraisePhrase(praiseToken)}' + {(designated ? "designated group" : "attack or perpetrator")} '{ReferencePhrase(reference)}'" +
                              (praises > 1 ? $" + {praises - 1} more praise word{(praises > 2 ? "s" : "")}" : "") + (nearby ? " (in the next sentence)" : "") + Caveats(mods);
            Add(SpeechKind.Glorification, score, explanation, PraisePhrase(praiseToken), ReferencePhrase(reference), null, null, mods, LanguageOf(praiseToken), s);
        }

        private void Support(Sentence s)
        {
            var join = -1;
            var strongJoin = false;
            var cause = -1;
            var strongCause = false;
            for (var i = s.First; i < s.End; i++)
            {
                var t = T[i];
                if (t.Is(W.Join) && !PrecededByNegator(i, 3))
                {
                    var strong = t.Span is not ("support" or "supporting" or "stand" or "donate" or "fund" or "dona" or "donate" or "finanzia" or "sostieni" or "sostenete" or "sosteniamo");
                    if (join < 0 || strong && !strongJoin) { join = i; strongJoin = strong; }
                }
                if (t.Is(W.Cause) || t.Is(W.Designated) || IsIslamicState(i))
                {
                    var strong = t.Is(W.Designated) || IsIslamicState(i) || t.Span is "caliphate" or "khilafah" or "mujahideen" or "mujahidin" or "mujahid" or "jihad" or "ummah" or "dawlah" or "dawla" or "caliph" or "sham" or "wilayah" or "califfato" or "califfo" or "mujaheddin";
                    if (cause < 0 || strong && !strongCause) { cause = i; strongCause = strong; }
                }
            }
            if (join < 0 && RecruitmentCall(s) is var rc && rc >= 0) { join = rc; strongJoin = true; if (cause < 0) cause = rc; }
            if (join < 0 || cause < 0) return;
            if (!strongJoin && !strongCause) return; // "support the fight", "dona alla lotta": too vague alone
            if (HasInSentence(s, W.Counter)) return;
            // "Join us" needs a second-person or imperative reading; "they joined ISIS in 2014" is a report.
            if (T[join].Span is "joined" or "pledged" or "giurato") return;
            var score = (strongJoin ? JoinStrong : JoinWeak) + (strongCause ? CauseStrong : CauseWeak);
            var mods = SpeechModifiers.None;
            if (ReportedBefore(s, join)) mods |= SpeechModifiers.Reported;
            if (NearSentence(s, W.News)) mods |= SpeechModifiers.NewsContext;
            if (s.Question) mods |= SpeechModifiers.Question;
            if (HasGame(join)) mods |= SpeechModifiers.GameContext;
            if (IsQuotedWithOwnWords(join)) mods |= SpeechModifiers.Quoted;
            score = Modulate(Math.Min(1, score), mods);
            var what = T[join].Span is "pledge" or "pledging" or "allegiance" or "bayah" or "baya" or "bayat" or "fedelta" or "giuro" or "giuriamo" ? "allegiance" : strongJoin ? "recruitment" : "support";
            var explanation = $"{what} '{_doc.Original(join, Math.Min(join + 1, s.End - 1))}' + {(strongCause ? "designated group or cause" : "cause")} '{ReferencePhrase(cause)}'" + Caveats(mods);
            Add(SpeechKind.Support, score, explanation, what, ReferencePhrase(cause), null, null, mods, LanguageOf(join), s);
        }

        /// <summary>"X needs fighters", "our cell is looking for young men ready to act… weapons, training", "cerchiamo ragazzi
        /// per la nostra squadra d'azione, armi e addestramento": a call for recruits together with a word of armed struggle.</summary>
        private int RecruitmentCall(Sentence s)
        {
            var call = -1;
            var militant = false;
            var index = SentenceIndex(s);
            for (var i = s.First; i < s.End; i++)
            {
                var w = T[i].Span;
                if (call < 0 && (w is "needs" or "need" or "recruiting" or "cerchiamo" or "cerca" or "cercasi" or "reclutiamo" || w is "looking" && FindForward(i, 1, "for") > 0 || w is "bisogno" && FindForward(i, 1, "di") > 0)
                    && FindForward(i, 4, "fighters|soldiers|men|brothers|recruits|volunteers|warriors|ragazzi|uomini|fratelli|combattenti|soldati|volontari|guerrieri|te|you") > 0)
                    call = i;
            }
            if (call < 0) return -1;
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1) && !militant; k++)
            {
                var o = _doc.Sentences[k];
                for (var j = o.First; j < o.End; j++)
                    if (T[j].Span is "fighters" or "weapons" or "weapon" or "arms" or "combat" or "cell" or "armi" or "addestramento" or "combattenti" or "cellula" or "azione" or "combatti" or "combattete" or "brotherhood" or "fratellanza" or "militia" or "milizia" || T[j].Is(W.Designated)) { militant = true; break; }
            }
            if (!militant || PrecededByNegator(call, 2)) return -1;
            return call;
        }

        private bool IsPraise(int i)
        {
            var w = T[i].Span;
            if (PrecededByNegator(i, 3)) return false;
            var n = Next(i);
            var next = n >= 0 && T[n].Clause == T[i].Clause ? T[n].Span : default;
            var prev = i > 0 && T[i - 1].Clause == T[i].Clause ? T[i - 1].Span : default;
            if (prev is "san" or "santa" or "santo" or "st" or "saint" or "sant" or "santi") return false; // a place or saint's name: "San Benedetto"
            return w switch
            {
                "long" => next is "live",
                "lunga" => next is "vita",
                "live" => prev is "long",
                "viva" or "evviva" => n >= 0 && (T[n].Is(W.Designated) || T[n].Is(W.Cause) || T[n].Is(W.AttackRef) || T[n].Is(W.Determiner) || T[n].Span is "il" or "lo" or "la"),
                "accept" => prev is "allah" or "god" || FindBackward(i, 3, "allah") >= 0,
                "follow" or "seguite" or "seguiamo" => FindForward(i, 3, "example|path|footsteps|esempio|strada|orme") >= 0,
                "path" or "footsteps" or "strada" or "orme" => false,
                "respect" or "rispetto" or "deserves" or "medal" or "medaglia" or "champion" or "rip" => w is "medal" or "medaglia" || next is "to" or "a" or "for" or "per" || (w is "respect" or "rispetto") && n < 0,
                "gods" => next is "work",
                "example" or "esempio" => FindForward(i, 3, "inspire|inspires|ispiri|ispirino|follow|seguire|thousands|migliaia|all|tutti") >= 0 || FindBackward(i, 4, "follow|seguite|seguiamo|his|her|suo|loro") >= 0,
                "bless" or "blessed" or "benedetto" or "benedica" => true,
                _ => true,
            };
        }

        private bool IsStrongPraise(int i) =>
            T[i].Span is "martyr" or "martyrs" or "shaheed" or "shahid" or "shuhada" or "hero" or "heroes" or "heroic" or "legend" or "lion" or "lions" or "saint"
                or "glory" or "honour" or "honor" or "salute" or "long" or "live" or "lunga" or "martire" or "martiri" or "eroe" or "eroi" or "eroico" or "eroica" or "leggenda"
                or "leone" or "leoni" or "santo" or "gloria" or "onore" or "viva" or "evviva" or "paradise" or "jannah" or "paradiso" or "ispiri" or "inspire" or "inspires" or "ispirino"
                or "chad" or "goat" or "gods" or "idol" or "idolo" or "mito" or "based" or "king" or "masterpiece" or "capolavoro" or "chapeau";

        private string PraisePhrase(int i)
        {
            var s = _doc.Sentences[T[i].Sentence];
            var a = i;
            var b = i;
            if (T[i].Span is "ispiri" or "ispirino" or "inspire" or "inspires") { a = Math.Max(s.First, FindBackward(i, 4, "che|may") is var k && k >= 0 ? k : i); b = Math.Min(s.End - 1, i + 1); }
            else if (T[i].Span is "long" or "lunga") b = Math.Min(s.End - 1, i + 1);
            else if (T[i].Span is "onore" or "gloria" or "glory" or "honour" or "honor" or "viva" or "evviva") b = Math.Min(s.End - 1, i + 2);
            else if (a > s.First && T[a - 1].Span is "a" or "un" or "una" or "true" or "vero" or "real" or "our" or "nostro" or "great" or "grande") a--;
            return _doc.Original(a, b);
        }

        private string ReferencePhrase(int i)
        {
            var s = _doc.Sentences[T[i].Sentence];
            var a = i;
            var b = i;
            if (i > s.First && T[i - 1].Is(W.Past) || i > s.First && T[i - 1].Span is "si" or "fatto") a = i - 1;
            if (a > s.First && T[a - 1].Span is "si" or "e" or "ha" && T[a].Span is "fatto" or "e") a--;
            if (T[i].Is(W.AttackRef) && !T[i].Is(W.NominalAct) && i + 2 < s.End && T[i + 1].Is(W.Determiner) && T[i + 2].Is(W.Place | W.Person)) b = i + 2;
            if (IsIslamicState(i)) b = i + 1;
            return _doc.Original(a, b);
        }

        /// <summary>
        /// A reference to an attack, its perpetrator or a designated group: a group's name, an attack or perpetrator noun
        /// ("attentatore", "the bombing"), or a violent verb describing the perpetrator ("the brother who attacked", "il fratello
        /// che ha attaccato") — not a victim ("was murdered") and not any past verb ("put", "did").
        /// </summary>
        private bool IsReference(int i, out bool designated)
        {
            var t = T[i];
            designated = false;
            if (t.Is(W.Designated) || IsIslamicState(i)) { designated = true; return true; }
            if (IsPastBombing(i)) return true;
            if (!t.Is(W.AttackRef) || t.Is(W.Praise)) return false;
            var lex = t.Lex!;
            if (lex.Act is null && lex.ItalianLemma is null) return true; // a noun: attacker, attentato, strage
            if ((t.Is(W.NominalAct) || (lex.English & EnglishForm.Gerund) != 0 || t.Span is "attacco" or "attacchi") && (PreviousIs(i, W.Determiner) || PreviousIs(i, W.Place) || PreviousIs(i, W.Weapon))) return true; // "the bombing", "the school shooting", "that knife attack"
            if (lex.Act?.Needs is { } needs && FindForward(i, 4, needs) < 0) return false;
            var s = _doc.Sentences[t.Sentence];
            for (var j = i - 1; j >= s.First && i - j <= 3; j--)
            {
                var w = T[j].Span;
                if (w is "was" or "were" or "been" or "being" or "is" or "are" or "stato" or "stata" or "stati" or "fu" or "furono" or "venne" or "vennero") return false;
                if (w is "who" or "that" or "which" or "che" or "chi" or "cui" or "whoever" or "chiunque") return true;
            }
            return false;
        }

        /// <summary>"si è fatto esplodere", "ha fatto saltare": a past attack.</summary>
        private bool IsPastBombing(int i) =>
            i > 0 && T[i].Span is "esplodere" or "saltare" && T[i - 1].Span is "fatto" or "fatta" or "fatti" or "fatte";

        private bool IsIslamicState(int i) =>
            i + 1 < _doc.Count && T[i + 1].Clause == T[i].Clause
            && (T[i].Span is "islamic" && T[i + 1].Span is "state" || T[i].Span is "stato" && T[i + 1].Span is "islamico" || T[i].Span is "al" && T[i + 1].Span is "qaeda" or "qaida" or "shabaab" or "shabab");

        private int ReferenceNear(Sentence s)
        {
            var index = SentenceIndex(s);
            foreach (var k in (ReadOnlySpan<int>)[index - 1, index + 1])
            {
                if (k < 0 || k >= _doc.Sentences.Count) continue;
                var o = _doc.Sentences[k];
                for (var i = o.First; i < o.End; i++)
                    if (IsReference(i, out _)) return HasInSentence(o, W.Counter | W.Victim) ? -1 : i;
            }
            return -1;
        }

        private void KnowWhereYouLive()
        {
            // "I know where you live" / "so dove abiti": an implicit threat; scored alone, and it raises nothing else.
            for (var i = 0; i + 2 < _doc.Count; i++)
            {
                var w = T[i].Span;
                var english = w is "know" && T[i + 1].Span is "where" && T[i + 2].Span is "you" or "u" && i + 3 < _doc.Count && T[i + 3].Span is "live" or "sleep" or "work" or "go";
                var italian = w is "so" && T[i + 1].Span is "dove" && T[i + 2].Span is "abiti" or "vivi" or "abitate" or "dormi" or "lavori" or "vai" or "studi";
                if (!english && !italian) continue;
                if (PrecededByNegator(i, 2)) continue;
                var s = _doc.Sentences[T[i].Sentence];
                var mods = Modifiers(i, s);
                var end = english ? i + 3 : i + 2;
                var start = i > 0 && T[i - 1].Is(W.FirstSingular) ? i - 1 : i;
                var score = Modulate(StrongAct, mods);
                Add(SpeechKind.Threat, score, $"implicit threat '{_doc.Original(start, end)}'" + Caveats(mods), _doc.Original(start, end), "you", null, null, mods, english ? "en" : "it", s);
            }
        }

        // ================= emitting =================

        private void EmitIt(SpeechKind kind, int verb, int actEnd, ActInfo act, Chain c, string description, double weight, Clitic clitics, bool selfBomb, SpeechModifiers extra = SpeechModifiers.None)
        {
            var forced = -1;
            if ((clitics & Clitic.Second) != 0) forced = CliticToken(verb, W.ProcliticSecond, ItalianForm.CliticSecond);
            else if ((clitics & Clitic.Third) != 0) forced = CliticToken(verb, W.ProcliticThird, ItalianForm.CliticThird);
            Emit(kind, verb, actEnd, act, c, description, weight, extra, forcedTarget: forced, selfBomb: selfBomb, language: "it");
        }

        /// <summary>The token carrying a clitic object: the proclitic before the verb, or the verb itself when the clitic is attached.</summary>
        private int CliticToken(int verb, W proclitic, ItalianForm enclitic)
        {
            if ((T[verb].Lex!.Italian & enclitic) != 0) return verb;
            var clauseStart = _doc.Clauses[T[verb].Clause].FirstToken;
            for (var j = verb - 1; j >= clauseStart && verb - j <= 6; j--)
                if (T[j].Is(proclitic) || T[j].Span is "t" or "v" or "l") return j;
            return verb;
        }

        private void Emit(SpeechKind kind, int actToken, int actEnd, ActInfo act, Chain c, string description, double intent,
            SpeechModifiers extra = SpeechModifiers.None, bool targetBefore = false, int forcedTarget = -1, bool selfBomb = false,
            bool requireTarget = true, string? language = null)
        {
            var s = _doc.Sentences[T[actToken].Sentence];
            // The target: after the act ("stab the teacher"), or the subject of a passive call ("they should be shot").
            var target = FindTarget(actToken, actEnd, act.Targets, targetBefore);
            if (target.Self && !selfBomb)
            {
                // "I'll kill myself" is not a threat to others; "blow myself up" is, where there is a place or a crowd.
                if (act.Lemma != "blow") return;
                selfBomb = true;
            }
            // A clitic object ("vi faccio saltare", "ammazzarlo") names the victim better than a place found after it.
            if (forcedTarget >= 0 && (target.Token < 0 || T[target.Token].Is(W.Place) && !T[target.Token].Is(W.Person))) target = (forcedTarget, false, false);
            var place = FindPlace(actToken);
            var time = FindTime(actToken);
            if (selfBomb)
            {
                if (place < 0 && time < 0 && (target.Token < 0 || T[target.Token].Is(W.Self))) return;
                if (target.Token < 0 || T[target.Token].Is(W.Self)) target = (place >= 0 ? place : -1, false, false);
            }
            if (target.Token < 0 && (act.Targets & TargetKinds.Places) != 0 && place >= 0) target = (place, false, false);
            // The person lexicon is closed; the objects of a strong act are not ("ammazziamo qualche ospite", "sparate agli sciacalli").
            // Italian only: in English the open object read game roles as people ("kill the healer first", "assassinate the king
            // in the next mission") on the development sets, and English verbs rarely lack a lexicon object in threats.
            var openTarget = false;
            if (target.Token < 0 && act.Strong && act.Language == "it" && (act.Targets & TargetKinds.People) != 0 && T[actToken].Lex?.Act is not null && OpenObject(actToken, actEnd, act.Language) is var open and >= 0)
                (target, openTarget) = ((open, false, false), true);
            if (target.Token < 0 && requireTarget) return;

            var mods = Modifiers(actToken, s) | extra;
            if (c.Subject >= 0 && kind == SpeechKind.Threat && ReportedBefore(s, c.CueStart)) mods |= SpeechModifiers.Reported;
            if (s.First < c.CueStart && IsConditionalSentence(s, c.CueStart)) mods |= SpeechModifiers.Conditional;
            var score = (act.Strong ? StrongAct : WeakAct) + intent + (target.Token >= 0 ? openTarget ? OpenTargetWeight : TargetWeight : 0) + (time >= 0 ? TimeWeight : 0) + (place >= 0 ? PlaceWeight : 0);
            // "I could strangle whoever wrote this", "ti strozzerei quando fai così": a bare first-person conditional, with no
            // condition, time or place, is how people vent, not how they threaten; it stays below the firing line.
            if (description.StartsWith("first person conditional", StringComparison.Ordinal) && time < 0 && place < 0 && !HasConditionWord(s))
                score *= HyperboleFactor;
            score = Modulate(Math.Min(1, score), mods);

            var cueStart = c.CallerStart >= 0 ? c.CallerStart : Math.Min(c.CueStart, actToken);
            var cue = _doc.Original(cueStart, actEnd);
            var targetText = target.Token >= 0 ? TargetPhrase(target.Token) : null;
            var timeText = time >= 0 ? TimePhrase(time) : null;
            var placeText = place >= 0 ? PlacePhrase(place) : null;
            var parts = $"{description} '{cue}'";
            if (selfBomb) parts += " (suicide attack)";
            // When the place is the target, say it once: as the place if the text gives it a preposition ("at the station").
            var sameAsPlace = target.Token >= 0 && target.Token == place;
            if (targetText is not null && !(sameAsPlace && placeText != targetText)) parts += $" + target '{targetText}'";
            if (placeText is not null && !(sameAsPlace && placeText == targetText)) parts += $" + place '{placeText}'";
            if (timeText is not null) parts += $" + time '{timeText}'";
            parts += Caveats(mods);
            Add(kind, score, parts, cue, targetText, timeText, placeText, mods, language ?? act.Language, s);
        }

        private SpeechModifiers Modifiers(int i, Sentence s)
        {
            var mods = SpeechModifiers.None;
            if (s.Question) mods |= SpeechModifiers.Question;
            if (HasGame(i)) mods |= SpeechModifiers.GameContext;
            if (HasJokeMarker(s)) mods |= SpeechModifiers.Joking;
            if (IsQuotedWithOwnWords(i)) mods |= SpeechModifiers.Quoted;
            if (ReportedBefore(s, i) || ReportsWhatWasReceived()) mods |= SpeechModifiers.Reported;
            return mods;
        }

        /// <summary>A joke marker near the sentence — not a negated one ("nn scherzo", "not kidding") and not "dai" as a
        /// preposition ("dai carabinieri").</summary>
        private bool HasJokeMarker(Sentence s)
        {
            var index = SentenceIndex(s);
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1); k++)
            {
                var o = _doc.Sentences[k];
                for (var j = o.First; j < o.End; j++)
                {
                    if (!T[j].Is(W.Interjection) || PrecededByNegator(j, 2)) continue;
                    if (T[j].Span is "dai" && !NextIsClauseEnd(j)) continue;
                    return true;
                }
            }
            return false;
        }

        private static double Modulate(double score, SpeechModifiers mods)
        {
            if ((mods & (SpeechModifiers.Reported | SpeechModifiers.Quoted)) != 0) score *= ReportedFactor;
            if ((mods & SpeechModifiers.Question) != 0) score *= QuestionFactor;
            if ((mods & SpeechModifiers.GameContext) != 0) score *= GameFactor;
            if ((mods & SpeechModifiers.Joking) != 0) score *= JokeFactor;
            if ((mods & SpeechModifiers.NewsContext) != 0) score *= NewsFactor;
            return Math.Round(score, 3);
        }

        private static string Caveats(SpeechModifiers mods)
        {
            if (mods == SpeechModifiers.None) return "";
            var notes = new List<string>(4);
            if ((mods & SpeechModifiers.Conditional) != 0) notes.Add("conditional");
            if ((mods & SpeechModifiers.Reported) != 0) notes.Add("reported speech (x0.3)");
            if ((mods & SpeechModifiers.Quoted) != 0) notes.Add("in quotation marks (x0.3)");
            if ((mods & SpeechModifiers.Question) != 0) notes.Add("a question (x0.5)");
            if ((mods & SpeechModifiers.GameContext) != 0) notes.Add("game, sport or music context (x0.3)");
            if ((mods & SpeechModifiers.Joking) != 0) notes.Add("joke marker (x0.5)");
            if ((mods & SpeechModifiers.NewsContext) != 0) notes.Add("news or history context (x0.4)");
            return "; " + string.Join(", ", notes);
        }

        private void Add(SpeechKind kind, double score, string explanation, string cue, string? target, string? time, string? place, SpeechModifiers mods, string language, Sentence s)
        {
            if (score <= 0) return;
            if (language == "und") language = _doc.Language;
            var finding = new SpeechFinding(kind, score, explanation, cue, target, time, place, mods, language, s.Start, Math.Max(0, s.Stop - s.Start));
            // One finding per kind and sentence: the strongest.
            for (var k = 0; k < _doc.Findings.Count; k++)
            {
                var f = _doc.Findings[k];
                if (f.Kind != kind || f.Start != finding.Start) continue;
                if (f.Score < finding.Score) _doc.Findings[k] = finding;
                return;
            }
            _doc.Findings.Add(finding);
        }

        // ================= targets, times, places =================

        /// <summary>The first person, group or place the act is aimed at: after it (skipping the particle and determiners),
        /// or before it for a passive call. <c>Self</c> when the object is the speaker ("kill me", "kill myself").</summary>
        private (int Token, bool Self, bool Group) FindTarget(int act, int actEnd, TargetKinds kinds, bool before)
        {
            var s = _doc.Sentences[T[act].Sentence];
            if (before)
            {
                var clauseStart = _doc.Clauses[T[act].Clause].FirstToken;
                for (var j = act - 1; j >= Math.Max(s.First, act - 8); j--)
                {
                    var t = T[j];
                    if (t.Is(W.FirstSingular) || t.Is(W.FirstPlural) && !t.Is(W.Person)) return (-1, true, false);
                    if (IsTargetWord(j, kinds)) return (j, false, t.Is(W.Group));
                    if (j < clauseStart && t.Is(W.Reporting)) break;
                }
                // "Death to the infidels", "andrebbero impiccati tutti": after.
            }
            var start = Math.Max(act, actEnd) + 1;
            var steps = 0;
            var clause = _doc.Clauses[T[act].Clause];
            // The object is in the act's clause, or opens the next one when the act ends its clause ("…I will kill, you and yours").
            var limit = actEnd + 1 >= clause.EndToken && clause.EndToken < s.End && !_doc.Clauses[T[clause.EndToken].Clause].Quoted
                ? _doc.Clauses[T[clause.EndToken].Clause].EndToken : clause.EndToken;
            for (var j = act + 1; j < limit && steps < 8; j++)
            {
                if (T[j].Span is "for" or "per" && j >= start) break; // "gas for all these…", "kill a bitch for them": what follows is not the object
                if (j < start && !(T[j].Is(W.Person) || T[j].Is(W.Self) || T[j].Is(W.Group) || T[j].Is(W.Place) || IsPossessedBodyPart(j))) continue;
                steps++;
                var t = T[j];
                if (t.Is(W.Self) && !t.Is(W.Person) && j <= act + 3 && t.Span is not "noi") return (j, true, false);
                if (IsTargetWord(j, kinds)) return (j, false, t.Is(W.Group));
                if (t.Lex?.Act is not null && j > start) break; // another verb: its own object
                if (t.Is(W.Conjunction) && j > start + 1) break;
            }
            return (-1, false, false);
        }

        /// <summary>
        /// The object of a strong act when it is no word of the person lexicon: the first content word after a determiner, a
        /// quantifier or an articulated preposition, within four words of the act and in its clause ("ammazziamo qualche ospite",
        /// "sparate a vista agli sciacalli", "shoot the looters"). Words that name things, animals, time, software or games
        /// (<see cref="SpeechLexicon.NonHumanObjects"/>), and words the lexicon knows as something other than a person (a time, a
        /// game, a weapon, a verb), are not people. -1 when there is none.
        /// </summary>
        private int OpenObject(int act, int actEnd, string language)
        {
            var clauseEnd = _doc.Clauses[T[act].Clause].EndToken;
            var from = Math.Max(act, actEnd) + 1;
            for (var j = from; j < clauseEnd && j <= from + 4; j++)
            {
                var t = T[j];
                if (t.Lex?.Act is not null || t.Is(W.Conjunction) || t.Span is "for" or "per" or "with" or "con" or "col") return -1;
                if (!IsObjectLead(j - 1, language) || IsObjectLead(j, language)) continue;
                return IsOpenNoun(j) ? j : -1;
            }
            return -1;
        }

        // Italian "a" is a preposition ("sparate a vista"), not an article.
        private bool IsObjectLead(int j, string language) =>
            !(language == "it" && T[j].Span is "a") && (T[j].Is(W.Determiner) || SpeechLexicon.ObjectLeadLookup.Contains(T[j].Span));

        private bool IsOpenNoun(int j)
        {
            var t = T[j];
            if (t.Length < 3 || SpeechLexicon.NonHumanLookup.Contains(t.Span)) return false;
            foreach (var ch in t.Span) if (!char.IsLetter(ch)) return false;
            const W notPeople = W.Time | W.TimeLead | W.Game | W.Weapon | W.BodyPart | W.NominalAct | W.AttackRef | W.Particle | W.Be | W.Past
                | W.Future | W.Volition | W.Conditional | W.Obligation | W.Negator | W.Reporting | W.Praise | W.Self | W.FirstSingular | W.FirstPlural;
            return (t.Flags & notPeople) == 0 || t.Is(W.Person);
        }

        /// <summary>A clause before the speaker's that is addressed to "you" and has a verb: "you fire me, I come back…".</summary>
        private bool ParatacticCondition(Sentence s, int subject)
        {
            var clause = T[subject].Clause;
            var second = false;
            for (var j = s.First; j < subject && T[j].Clause != clause; j++)
                if (T[j].Is(W.SecondPerson) && j + 1 < subject && T[j + 1].Clause == T[j].Clause && !T[j + 1].Is(W.Determiner)) second = true;
            return second;
        }

        /// <summary>"your face", "his gut", "la tua testa": a body part with a possessive names its owner as the target.</summary>
        private bool IsPossessedBodyPart(int j) =>
            T[j].Is(W.BodyPart) && j > 0 && T[j - 1].Clause == T[j].Clause && (T[j - 1].Is(W.Possessive) || j > 1 && T[j - 2].Is(W.Possessive) && T[j - 1].Is(W.Determiner));

        private bool IsTargetWord(int j, TargetKinds kinds)
        {
            var t = T[j];
            if ((kinds & TargetKinds.People) != 0 && IsPossessedBodyPart(j)) return true;
            if ((kinds & TargetKinds.People) != 0 && (t.Is(W.Person) || t.Is(W.Group)))
            {
                // "la"/"le" are articles far more often than they are people; "all" only as "all of them" / "them all".
                if (t.Span is "la" or "le" or "lo" or "li" or "gli") return false;
                // "ammazzo tutti", "sparo a tutti": "tutti" right after the verb or its preposition is the object.
                if (t.Span is "tutti" or "everyone" && j > 0 && (T[j - 1].Lex?.Act is not null || T[j - 1].Span is "a" or "at")) return true;
                if (t.Span is "all" or "tutti") return j + 1 < _doc.Count && T[j + 1].Clause == t.Clause && (T[j + 1].Is(W.Person) || T[j + 1].Is(W.Group) || T[j + 1].Is(W.Determiner) || T[j + 1].Span is "of" or "quanti");
                if (t.Span is "alive" or "vivo" or "viva" or "vivi") return false;
                return true;
            }
            return (kinds & TargetKinds.Places) != 0 && t.Is(W.Place) && t.Span is not "home";
        }

        private string TargetPhrase(int j)
        {
            var t = T[j];
            if (t.Lex?.Act is not null || t.Is(W.ProcliticSecond) || t.Is(W.ProcliticThird) || t.Span is "t" or "v" or "l") return t.Span.ToString(); // a clitic: "ti", "-li"
            var clauseStart = _doc.Clauses[t.Clause].FirstToken;
            var a = j;
            while (a - 1 >= clauseStart && j - a < 3 && (T[a - 1].Is(W.Determiner) || T[a - 1].Is(W.Caller) && !T[a - 1].Is(W.Person))) a--;
            var b = j;
            while (b + 1 < _doc.Clauses[t.Clause].EndToken && b - j < 2 && (T[b + 1].Is(W.Place) || T[b + 1].Is(W.Person) && T[b].Is(W.Place))) b++;
            return _doc.Original(a, b);
        }

        private int FindTime(int i) => FindIn(i, place: false);

        private bool HasTime(int i) => FindTime(i) >= 0;

        private int FindPlace(int i) => FindIn(i, place: true);

        private bool Test(int j, bool place) => place ? T[j].Is(W.Place) && HasPlaceLead(j) : IsTime(j);

        private bool IsTime(int j)
        {
            var t = T[j];
            if (t.Is(W.Time))
            {
                var w = t.Span;
                // "week", "morning", "hours"… only with a lead ("next week", "this morning", "in 2 hours").
                if (w is "week" or "month" or "morning" or "afternoon" or "evening" or "hours" or "minutes" or "days" or "weekend" or "settimana" or "mese" or "mattina" or "pomeriggio" or "giorni" or "minuti" or "ore" or "am" or "pm")
                    return j > 0 && T[j - 1].Clause == t.Clause && (T[j - 1].Span is "next" or "this" or "tomorrow" or "prossima" or "prossimo" or "questa" or "questo" or "stamattina" or "domani" or "in" or "tra" or "fra" or "alle" || IsNumber(j - 1));
                return true;
            }
            // "at 8", "alle 8", "ore 15".
            return IsNumber(j) && j > 0 && T[j - 1].Clause == t.Clause && T[j - 1].Span is "at" or "alle" or "ore" or "by" or "verso" or "entro";
        }

        private bool IsNumber(int j)
        {
            var w = T[j].Span;
            if (w.IsEmpty) return false;
            foreach (var ch in w) if (!char.IsAsciiDigit(ch)) return false;
            return true;
        }

        private bool HasPlaceLead(int j)
        {
            // "the station", "alla stazione", "davanti alla classe": a place noun after a determiner or preposition.
            if (j == 0 || T[j - 1].Clause != T[j].Clause) return T[j].Span is not ("class" or "classe" or "bar" or "base" or "march" or "mass" or "pride" or "home" or "house" or "casa" or "centro" or "train" or "locale" or "city" or "town");
            if (T[j - 1].Is(W.PlaceLead) || T[j - 1].Is(W.Determiner) || T[j - 1].Is(W.Place)) return true;
            // "at the Northgate mosque", "the Harrow synagogue": one name between the lead and the place noun.
            return j >= 2 && T[j - 1].Lex is null && T[j - 2].Clause == T[j].Clause && (T[j - 2].Is(W.PlaceLead) || T[j - 2].Is(W.Determiner)) && !IsNumber(j - 1);
        }

        private string TimePhrase(int j)
        {
            var clause = _doc.Clauses[T[j].Clause];
            var a = j;
            while (a - 1 >= clause.FirstToken && j - a < 2 && T[a - 1].Is(W.TimeLead) && T[a - 1].Span is not ("il" or "la" or "the" or "a" or "in")) a--;
            if (a - 1 >= clause.FirstToken && T[a - 1].Span is "in" or "the" && (T[a].Is(W.TimeLead) || IsNumber(a))) a--;
            var b = j;
            while (b + 1 < clause.EndToken && b - j < 3 && (T[b + 1].Span is "prossimo" or "prossima" or "at" or "alle" or "am" or "pm" or "oclock" or "night" or "morning" or "sera" or "mattina" || IsNumber(b + 1) && T[b].Span is "at" or "alle" or "ore")) b++;
            if (b > j && T[b].Span is "at" or "alle") b--;
            return _doc.Original(a, b);
        }

        private string PlacePhrase(int j)
        {
            var clause = _doc.Clauses[T[j].Clause];
            while (j + 1 < clause.EndToken && T[j + 1].Is(W.Place) && !T[j + 1].Is(W.Person)) j++;
            var a = j;
            while (a - 1 >= clause.FirstToken && j - a < 4 && (T[a - 1].Is(W.PlaceLead) || T[a - 1].Is(W.Place)) && !T[a - 1].Is(W.Person | W.Group)) a--;
            // Do not start on an article-less preposition chain that belongs to the verb ("into the crowds at the festival" → "at the festival").
            return _doc.Original(a, j);
        }

        /// <summary>The first token satisfying <paramref name="test"/> in the sentence of <paramref name="i"/>, else in the sentences next to it.</summary>
        private int FindIn(int i, bool place)
        {
            var index = T[i].Sentence;
            var s = _doc.Sentences[index];
            for (var j = s.First; j < s.End; j++) if (Test(j, place)) return j;
            foreach (var k in (ReadOnlySpan<int>)[index - 1, index + 1])
            {
                if (k < 0 || k >= _doc.Sentences.Count) continue;
                var o = _doc.Sentences[k];
                if (o.End - o.First > 12) continue; // only a short neighbour ("Next Friday." / "At the station.")
                for (var j = o.First; j < o.End; j++) if (Test(j, place)) return j;
            }
            return -1;
        }

        /// <summary>Sentences are numbered as they are added, and only sentences with words are added, so a token's sentence number is its index.</summary>
        private int SentenceIndex(Sentence s) => T[s.First].Sentence;

        // ================= small readers =================

        private bool HasGame(int i)
        {
            var s = _doc.Sentences[T[i].Sentence];
            return NearSentence(s, W.Game) || HasMatchScore(s);
        }

        /// <summary>A match score in the sentence: "5 a 0", "5-0", "3 to 1" (two small numbers, not a clock time "at 8 30").</summary>
        private bool HasMatchScore(Sentence s)
        {
            for (var j = s.First; j + 1 < s.End; j++)
            {
                if (!IsSmallNumber(j)) continue;
                var k = T[j + 1].Span is "a" or "to" or "nil" && j + 2 < s.End ? j + 2 : j + 1;
                if (!IsSmallNumber(k) || T[k].Clause != T[j].Clause) continue;
                if (j > s.First && T[j - 1].Span is "at" or "alle" or "ore" or "by" or "verso" or "entro" or "dalle" or "from" or "till" or "until" or "le" or "h") continue;
                if (k + 1 < s.End && T[k + 1].Span is "am" or "pm") continue;
                return true;
            }
            return false;
        }

        private bool IsSmallNumber(int j) => IsNumber(j) && T[j].Length <= 2;

        private bool NearSentence(Sentence s, W flag)
        {
            var index = SentenceIndex(s);
            for (var k = Math.Max(0, index - 1); k <= Math.Min(_doc.Sentences.Count - 1, index + 1); k++)
                if (HasInSentence(_doc.Sentences[k], flag)) return true;
            return false;
        }

        private bool HasInSentence(Sentence s, W flag)
        {
            for (var j = s.First; j < s.End; j++) if ((T[j].Flags & flag) != 0) return true;
            return false;
        }

        /// <summary>A reporting verb before <paramref name="i"/> in the sentence whose subject is not the speaker ("he said",
        /// "mi ha scritto", "threatened to"), or a quotation before it.</summary>
        private bool ReportedBefore(Sentence s, int i)
        {
            for (var j = s.First; j < i; j++)
            {
                if (!T[j].Is(W.Reporting)) continue;
                if (j == s.First && T[j].Span is "say" or "tell" or "dire" or "write" or "quote" or "scrivi" or "di") continue; // an imperative ("Say goodbye")
                if (j > s.First && T[j - 1].Span is "who" or "that" or "che" or "chi") continue; // a relative clause naming the target ("the nurse who reported me")
                if (T[j].Span is "secondo" && j + 1 < i && T[j + 1].Span is "me" or "noi") continue; // "secondo me": the speaker's own view
                var k = j - 1;
                while (k >= s.First && (T[k].Span is "have" or "has" or "had" or "just" or "already" or "ha" or "ho" or "mi" or "ci" or "ti" or "gli" or "le" or "m" || T[k].Is(W.Negator))) k--;
                if (k >= s.First && (T[k].Is(W.FirstSingular) || T[k].Is(W.FirstPlural)) && T[j].Span is not ("threatened" or "threatening" or "quoted" or "quoting")) continue; // "I told him I will…"
                if (k >= s.First && T[k].Span is "ho" or "abbiamo" || j > s.First && T[j - 1].Span is "ho" or "abbiamo") continue; // "gli ho detto che…"
                return true;
            }
            return false;
        }

        private bool IsQuotedWithOwnWords(int i) => _doc.Clauses[T[i].Clause].Quoted && _doc.AnyUnquoted;

        private bool IsConditionalSentence(Sentence s, int before)
        {
            for (var j = s.First; j < before; j++) if (T[j].Span is "if" or "se" or "unless" or "otherwise" or "altrimenti" or "or") return true;
            return false;
        }

        private bool IsClauseInitial(int i)
        {
            var clause = _doc.Clauses[T[i].Clause];
            for (var j = clause.FirstToken; j < i; j++)
            {
                var t = T[j];
                if (t.Is(W.Conjunction) || t.Is(W.Interjection) || t.Is(W.Time) || t.Is(W.TimeLead) && t.Span is "now" or "ora" or "adesso") continue;
                if (t.Span is "just" or "go" or "now" or "so" or "please" or "pls" or "plz" or "and" or "then" or "simply" or "all" or "forza" or "su" or "dai" or "ora" or "adesso" or "andate" or "andiamo" or "venite" or "allora" or "quindi" or "e" or "yes" or "yeah" or "si") continue;
                if (t.Is(W.Caller) && (t.Span is "brothers" or "fratelli" or "sisters" or "sorelle" or "guys" or "ragazzi" or "raga" or "everyone" or "tutti")) continue;
                return false;
            }
            return true;
        }

        private bool IsIdiom(int i, ActInfo act)
        {
            if (act.IdiomObjects is not { } objects) return false;
            var s = _doc.Sentences[T[i].Sentence];
            var steps = 0;
            var person = false;
            for (var j = i + 1; j < s.End && steps < 4; j++)
            {
                var t = T[j];
                // "I'll kill him myself": an emphatic "myself" after a person object is not the object.
                if (person && t.Span is "myself" or "ourselves") return false;
                if (t.Span is "him" or "her" or "them" or "you" or "u") person = true;
                if (t.Is(W.Determiner) || t.Is(W.Particle) && !objects.AsSpan().Contains(t.Span.ToString()) || t.Span is "some" or "della" or "del" or "di" or "in" or "him" or "her" or "them" or "me" or "us" or "you" or "u" or "off" or "out") { steps++; continue; }
                return objects.AsSpan().Contains(t.Span.ToString());
            }
            return false;
        }

        private bool PreviousIs(int i, W flag) => i > 0 && T[i - 1].Clause == T[i].Clause && T[i - 1].Is(flag);

        private bool PrecededByNegator(int i, int window)
        {
            var clauseStart = _doc.Clauses[T[i].Clause].FirstToken;
            for (var j = i - 1; j >= clauseStart && i - j <= window; j--)
                if (T[j].Is(W.Negator) && T[j].Span is not "without" and not "senza") return true;
            return false;
        }

        private int Next(int i) => i + 1 < _doc.Count && T[i + 1].Sentence == T[i].Sentence ? i + 1 : -1;

        private bool NextIsClauseEnd(int i) => i + 1 >= _doc.Count || T[i + 1].Clause != T[i].Clause;

        private bool IsSpan(int i, string a, string b) => i >= 0 && (T[i].Span.SequenceEqual(a) || T[i].Span.SequenceEqual(b));

        /// <summary>The first token within <paramref name="window"/> after <paramref name="i"/> in the sentence that is one of
        /// <paramref name="words"/> ("a|b|c"), or -1.</summary>
        private int FindForward(int i, int window, string words)
        {
            var s = _doc.Sentences[T[i].Sentence];
            for (var j = i + 1; j < s.End && j - i <= window; j++)
                if (IsOneOf(T[j].Span, words)) return j;
            return -1;
        }

        private int FindBackward(int i, int window, string words)
        {
            var s = _doc.Sentences[T[i].Sentence];
            for (var j = i - 1; j >= s.First && i - j <= window; j--)
                if (IsOneOf(T[j].Span, words)) return j;
            return -1;
        }

        private static bool IsOneOf(ReadOnlySpan<char> word, string words)
        {
            foreach (var range in words.AsSpan().Split('|'))
                if (word.SequenceEqual(words.AsSpan()[range])) return true;
            return false;
        }

        /// <summary>"burn … down", "shoot … up", "blow … up": the particle extends the act's phrase.</summary>
        private int ParticleAfter(int i, int end)
        {
            var p = FindForward(i, 4, "down|up|alive");
            return p >= 0 && T[p].Clause == T[i].Clause ? Math.Max(end, p) : end;
        }

        private string LanguageOf(int i)
        {
            var l = T[i].Lex;
            if (l?.ItalianLemma is not null) return "it";
            var w = T[i].Span;
            foreach (var c in w) if (c > 'z') return _doc.Language;
            return IsItalianWord(w) ? "it" : IsEnglishWord(w) ? "en" : _doc.Language;
        }

        private static bool IsItalianWord(ReadOnlySpan<char> w) =>
            w is "martire" or "martiri" or "eroe" or "eroi" or "eroico" or "eroica" or "leggenda" or "leone" or "leoni" or "santo" or "gloria" or "onore" or "ispiri"
                or "ispirino" or "esempio" or "fiero" or "orgoglioso" or "viva" or "evviva" or "unisciti" or "unitevi" or "arruolati" or "arruolatevi" or "giuro" or "giuriamo"
                or "fedelta" or "raggiungi" or "raggiungete" or "paradiso" or "benedetto" or "coraggioso" or "sostieni" or "dona" or "so";

        private static bool IsEnglishWord(ReadOnlySpan<char> w) => !IsItalianWord(w);
    }
}
