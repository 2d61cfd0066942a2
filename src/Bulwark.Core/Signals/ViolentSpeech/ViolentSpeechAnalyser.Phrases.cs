using System.Globalization;
using System.Text;

namespace Bulwark.Core.Signals.ViolentSpeech;

public static partial class ViolentSpeechAnalyser
{
    /// <summary>The words the analyser reads, sentence by sentence, as the normaliser leaves them (for `bulwark speech analyse --words`).</summary>
    public static IReadOnlyList<string[]> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var doc = Document.Rent();
        try
        {
            doc.Load(text.Length > MaxChars ? text[..MaxChars] : text, "und");
            return doc.Sentences.Select(s => Enumerable.Range(s.First, s.End - s.First).Select(i => doc.Tokens[i].Span.ToString()).ToArray()).ToList();
        }
        finally
        {
            Document.Return(doc);
        }
    }

    /// <summary>A compiled <see cref="PhrasePattern"/>: elements of alternatives (each a short word sequence, a word ending
    /// in '*' a prefix), optional elements and gaps; cancel and booster words as the same kind of sequences.</summary>
    internal sealed class CompiledPhrase
    {
        public required PhrasePattern Pattern;
        public required Element[] Elements;
        public WordSet? Cancel, Boost;
    }

    internal readonly record struct Element(string[][] Alternatives, bool Optional, int Gap)
    {
        /// <summary>The one-word, non-prefix alternatives, looked up by hash; the rest (several words, prefixes, "$") are tried in turn.</summary>
        public HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? Singles { get; init; }
        public string[][] Others { get; init; } = [];
    }

    private static Element Index(Element e)
    {
        if (e.Gap > 0) return e;
        var singles = new HashSet<string>(StringComparer.Ordinal);
        var others = new List<string[]>();
        foreach (var alt in e.Alternatives)
            if (alt.Length == 1 && !alt[0].EndsWith('*') && alt[0] != "$") singles.Add(alt[0]);
            else others.Add(alt);
        return e with { Singles = singles.GetAlternateLookup<ReadOnlySpan<char>>(), Others = [.. others] };
    }

    /// <summary>Single words in a hash set, multi-word sequences in a list; found anywhere in a token range.</summary>
    internal sealed class WordSet
    {
        private readonly HashSet<string> _words = new(StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<string[]> _sequences = [];

        public WordSet(IEnumerable<string[]> items)
        {
            foreach (var item in items)
                if (item.Length == 1) _words.Add(item[0]);
                else _sequences.Add(item);
            _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public bool AnyIn(Token[] tokens, int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                if (_lookup.Contains(tokens[i].Span)) return true;
                foreach (var seq in _sequences)
                {
                    if (i + seq.Length > to) continue;
                    var all = true;
                    for (var k = 0; k < seq.Length && all; k++) all = tokens[i + k].Span.SequenceEqual(seq[k]);
                    if (all) return true;
                }
            }
            return false;
        }
    }

    /// <summary>The patterns, indexed by the first word of their first element.</summary>
    private static readonly (Dictionary<string, CompiledPhrase[]> Index, (string Prefix, CompiledPhrase Phrase)[] Prefixes) BuiltPhrases = BuildPhraseIndex();
    internal static Dictionary<string, CompiledPhrase[]> PhraseIndex => BuiltPhrases.Index;

    /// <summary>The few patterns whose first word is a prefix ("riconosc*"), tried at every token.</summary>
    private static readonly (string Prefix, CompiledPhrase Phrase)[] PrefixPhrases = BuiltPhrases.Prefixes;
    private static readonly Dictionary<string, CompiledPhrase[]>.AlternateLookup<ReadOnlySpan<char>> PhraseLookup = PhraseIndex.GetAlternateLookup<ReadOnlySpan<char>>();

    private static (Dictionary<string, CompiledPhrase[]>, (string, CompiledPhrase)[]) BuildPhraseIndex()
    {
        var index = new Dictionary<string, List<CompiledPhrase>>(StringComparer.Ordinal);
        var prefixList = new List<(string, CompiledPhrase)>();
        foreach (var p in SpeechPhrases.Patterns)
        {
            var compiled = CompilePhrase(p);
            var first = compiled.Elements[0];
            if (first.Gap > 0 || first.Optional) throw new InvalidOperationException($"Phrase '{p.Spec}': the first element must be a word, not a gap or optional.");
            foreach (var alt in first.Alternatives)
            {
                if (alt[0].EndsWith('*')) { prefixList.Add((alt[0][..^1], compiled)); continue; }
                if (!index.TryGetValue(alt[0], out var list)) index[alt[0]] = list = [];
                if (!list.Contains(compiled)) list.Add(compiled);
            }
        }
        return (index.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal), [.. prefixList]);
    }

    internal static CompiledPhrase CompilePhrase(PhrasePattern p)
    {
        var elements = new List<Element>();
        foreach (var raw in Expand(p.Spec).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw[0] == '~') { elements.Add(new Element([], false, int.Parse(raw[1..], CultureInfo.InvariantCulture))); continue; }
            var optional = raw.EndsWith('?');
            var body = optional ? raw[..^1] : raw;
            elements.Add(Index(new Element(Alternatives(body), optional, 0)));
        }
        return new CompiledPhrase
        {
            Pattern = p,
            Elements = [.. elements],
            Cancel = p.Cancel is null ? null : new WordSet(Alternatives(Expand(p.Cancel))),
            Boost = p.Boost is null ? null : new WordSet(Alternatives(Expand(p.Boost))),
        };
    }

    private static string Expand(string spec)
    {
        if (!spec.Contains('@')) return spec;
        var sb = new StringBuilder();
        for (var i = 0; i < spec.Length; i++)
        {
            if (spec[i] != '@') { sb.Append(spec[i]); continue; }
            var j = i + 1;
            while (j < spec.Length && char.IsAsciiLetterUpper(spec[j]) || j < spec.Length && char.IsAsciiDigit(spec[j])) j++;
            var name = spec[(i + 1)..j];
            if (!SpeechPhrases.Classes.TryGetValue(name, out var words)) throw new InvalidOperationException($"Phrase '{spec}': no word class @{name}.");
            sb.Append(words);
            i = j - 1;
        }
        return sb.ToString();
    }

    /// <summary>"a|b_c|d*" → [[a], [b, c], [d*]], each word folded as the normaliser folds text (lower case, no diacritics).</summary>
    private static string[][] Alternatives(string body)
    {
        var alternatives = body.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(Fold).ToArray()).Where(a => a.Length > 0).ToList();
        // Italian chat writes "non" as "nn".
        if (alternatives.Any(a => a is ["non"])) alternatives.Add(["nn"]);
        return [.. alternatives];
    }

    private static string Fold(string word)
    {
        var d = word.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d) if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c != '\'') sb.Append(c);
        return sb.ToString();
    }

    private sealed partial class Reader
    {
        private static readonly WordSet FutureWords = Set("theyll|itll|shell|thatll|youll|well|ill|gonna|gon|finna|bout_to|going_to|will|shall|need|needs|before|soon|next|if|unless|when|or|presto|prima|entro|se|quando|domani|tomorrow|tonight|stasera|stanotte|sara|saranno|one_day|un_giorno|prossimo|prossima");
        private static readonly WordSet ConditionWords = Set("if|unless|or|then|otherwise|else|or_else|se|altrimenti|senno|allora|qualora|azzardati|provaci|prova|try|dare|one_more|un_altra|ancora_una|dont_pay|non_paghi|testify|testimoni|snitch");
        private static readonly WordSet SeeWords = Set("see|sees|seen|spot|spots|spotted|find|finds|catch|catches|meet|meets|run_into|runs_into|bump_into|becca|becchi|beccate|becchiamo|vede|vedete|vedi|trova|trovate|trovi|troviamo|incontra|incontrate|incontri|incrocia|incrociate");
        private static readonly WordSet HarmWords = Set("fire|fires|burn|burns|burning|burnt|flames|blood|bloody|boom|explode|explodes|bomb|bombs|bullet|bullets|dead|die|dies|kill|killed|petrol|gasoline|rope|noose|knife|knives|gun|guns|rifle|shoot|shot|stab|fuoco|fiamme|sangue|morti|morto|morta|benzina|tanica|bomba|proiettile|pallottola|coltello|pistola|fucile|corda|strage|massacro|bloodbath|carnage|massacre|riot|rivolta|rissa|spranghe|molotov|bruciare|brucia|bruciate|bruciato|saltare|esplodere|uccidere|ammazzare|sparare|gone|wiped|sparita|sparito|spariti|sparite|cancellati|cancellata|eliminati|eliminato|traitors|traditori|hang|hanged|impiccati|appesi|bodies|cadaveri|dove_abita|where_he_lives|where_she_lives|address|indirizzo");
        private static readonly WordSet ReferenceWords = Set("manifesto|gave_his_life|gave_her_life|gave_their_lives|ha_dato_la_vita|hanno_dato_la_vita|died_fighting|morto_combattendo|morti_combattendo|blew_himself_up|si_e_fatto_esplodere|gambizzavano|gambizzato|gambizzati|gambizzarono|newsroom|raid|assalto|assault|shooter|shooters|bomber|bombers|gunman|gunmen|attacker|attackers|attentatore|attentatori|kamikaze|shahid|shuhada|inghimasi|massacre|strage|stragista|cleansed|ripulito|took_out|taking_out|fece_fuori|fatto_fuori|fatti_fuori|fatto_saltare|what_he_did|what_they_did|what_the_brother_did|quello_che_ha_fatto|quello_che_hanno_fatto|the_brother_who|il_fratello_che|brothers_who|fratelli_che|lions_who|leoni_che|wiped_out|whole_office|whole_newsroom|editorial_office|redazione|attentato|attentati|bombing|shooting|stabbing|sparatoria|accoltellamento|high_score|body_count|struck_the|who_struck|che_hanno_colpito|che_ha_colpito|i_caduti_nell|died_in_the_raid|the_attack|the_attacks|that_attack|this_attack|l_attacco|quell_attacco|who_torched|chi_ha_bruciato|chi_ha_messo_la_bomba|who_planted|who_bombed|who_shot|chi_ha_sparato");
        private static readonly WordSet BodyCountAfter = Set("of_them|di_loro|in_under|in_less_than|in_meno_di|in_one_go|in_un_colpo|dead|morti|killed|uccisi|down|kills|victims|vittime|infedeli|kuffar|kafir|of_those|di_quei|di_quelli|of_em|in_a_minute|in_un_minuto|in_meno");
        private static readonly WordSet BodyCountBefore = Set("took_out|take_out|taking_out|fece_fuori|fatto_fuori|ne_fece_fuori|ne_ha_fatti_fuori|took_down|wiped_out|killed|uccise|ha_ucciso|ne_ha_uccisi|got|bagged|dropped|ne_ha_presi|smoked|popped");
        private static readonly WordSet NumberWords = Set("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|dozens|dozen|hundreds|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|quindici|venti|trenta|quaranta|cinquanta|sessanta|cento|decine|dozzina|centinaia");
        private static readonly WordSet SecondWords = Set("your|ur|yer|yours|you|u|ya|yall|youre|youll|tuo|tua|tuoi|tue|ti|te|vi|ve|vostro|vostra|vostri|vostre|t|voi|tu");

        private static WordSet Set(string words) => new(Alternatives(words));

        /// <summary>The writer says they reported or screenshotted what they quote: a threat received, not made.</summary>
        private static readonly WordSet ReportCues = Set("blocked_and_reported|reported_it|reported_him|reported_her|reported_them|reported_the_account|screenshotted|screenshotted_it|called_the_police|calling_the_police|going_to_the_police|went_to_the_police|police_report|filed_a_report|made_a_report|reported_to_the_police|segnalato_e_bloccato|bloccato_e_segnalato|bloccata_e_segnalata|ho_segnalato|l_ho_segnalato|ho_denunciato|abbiamo_denunciato|ho_fatto_denuncia|sporto_denuncia|fatto_lo_screenshot|vado_dai_carabinieri|vado_dalla_polizia|andata_dai_carabinieri|andato_dai_carabinieri|chiamato_i_carabinieri|chiamato_la_polizia|denunciato|denunciata");
        private int _reportCue = -1;

        private bool ReportsWhatWasReceived()
        {
            if (_reportCue < 0) _reportCue = ReportCues.AnyIn(T, 0, _doc.Count) ? 1 : 0;
            return _reportCue == 1;
        }

        /// <summary>Words that say the text reports on events (journalism, courts, history), for phrase findings; the looser
        /// news list of the rest of the analyser also holds "years", "news" and "police", which threats and praise use too.</summary>
        private static readonly WordSet StrictNews = Set("according|according_to|investigators|prosecutor|prosecutors|court|trial|sentenced|charged|arrested|officials|bbc|reuters|documentary|historian|museum|exhibition|article|study|research|podcast|police_said|police_say|secondo_gli|secondo_la|inquirenti|procura|tribunale|processo|condannato|condannata|condannati|arrestato|arrestata|arrestati|documentario|storico|storica|museo|mostra|articolo|studio|ricerca|ansa|cronaca|reportage|inchiesta|breaking|ultim_ora|ultimora");

        /// <summary>Game or sport words other than those that threats and praise share with games ("round up", "the raid", "high score", "on the map").</summary>
        private static readonly WordSet AmbiguousGame = Set("round|raid|raids|score|scores|map|stream|final|campaign|beat|skin|tag|level|team|points|laser|series|film|movie|character|dance|joke|jokes");

        private bool PhraseGame(int from, int to, int start, int end)
        {
            for (var j = from; j < to; j++)
            {
                if (j >= start && j < end || !T[j].Is(W.Game)) continue;
                if (!AmbiguousGame.AnyIn(T, j, j + 1)) return true;
            }
            return HasMatchScore(_doc.Sentences[T[start].Sentence]);
        }

        /// <summary>Every phrase pattern that starts at a token of the sentence and matches, scored and explained.</summary>
        private void Phrases(Sentence s)
        {
            for (var i = s.First; i < s.End; i++)
            {
                foreach (var (prefix, p) in PrefixPhrases)
                {
                    if (!T[i].Span.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    var end = MatchPhrase(p.Elements, 0, i, s.End);
                    if (end > i) Phrase(p, s, i, end);
                }
                if (!PhraseLookup.TryGetValue(T[i].Span, out var candidates)) continue;
                foreach (var p in candidates)
                {
                    var end = MatchPhrase(p.Elements, 0, i, s.End);
                    if (end > i) Phrase(p, s, i, end);
                }
            }
        }

        /// <summary>The token after the match of elements[k..] at <paramref name="pos"/>, or -1. Gaps are lazy; bounded by the sentence.</summary>
        private int MatchPhrase(Element[] elements, int k, int pos, int end)
        {
            if (k == elements.Length) return pos;
            var e = elements[k];
            if (e.Gap > 0)
            {
                for (var g = 0; g <= e.Gap && pos + g <= end; g++)
                {
                    var r = MatchPhrase(elements, k + 1, pos + g, end);
                    if (r >= 0) return r;
                }
                return -1;
            }
            if (pos < end && e.Singles is { } singles && singles.Contains(T[pos].Span))
            {
                var r1 = MatchPhrase(elements, k + 1, pos + 1, end);
                if (r1 >= 0) return r1;
            }
            foreach (var alt in e.Others)
            {
                if (alt is ["$"])
                {
                    // "$": the end of the clause (or sentence) right after what matched so far.
                    if (pos > 0 && (pos >= end || T[pos].Clause != T[pos - 1].Clause))
                    {
                        var r0 = MatchPhrase(elements, k + 1, pos, end);
                        if (r0 >= 0) return r0;
                    }
                    continue;
                }
                if (pos + alt.Length > end) continue;
                var ok = true;
                for (var a = 0; a < alt.Length && ok; a++) ok = WordMatches(T[pos + a].Span, alt[a]);
                if (!ok) continue;
                var r = MatchPhrase(elements, k + 1, pos + alt.Length, end);
                if (r >= 0) return r;
            }
            return e.Optional ? MatchPhrase(elements, k + 1, pos, end) : -1;
        }

        private static bool WordMatches(ReadOnlySpan<char> token, string word) =>
            word.EndsWith('*') ? token.StartsWith(word.AsSpan(0, word.Length - 1), StringComparison.Ordinal) : token.SequenceEqual(word);

        private void Phrase(CompiledPhrase c, Sentence s, int start, int end)
        {
            var p = c.Pattern;
            var index = SentenceIndex(s);
            var (from, to) = NeighbourRange(index);
            var prevFrom = index > 0 ? _doc.Sentences[index - 1].First : s.First;
            if (!T[start].Is(W.Negator) && PrecededByNegator(start, 2)) return;
            if (c.Cancel is not null && c.Cancel.AnyIn(T, s.First, s.End)) return;
            var needs = p.Needs;
            var time = FindTime(start);
            var place = FindPlace(start);
            if ((needs & PhraseNeeds.TimeOrPlace) != 0 && time < 0 && place < 0) return;
            if ((needs & PhraseNeeds.Future) != 0 && !HasFutureCue(s)) return;
            if ((needs & PhraseNeeds.Harm) != 0 && !HasHarm(from, to, start, end)) return;
            if ((needs & PhraseNeeds.Reference) != 0 && !HasReference(_doc.Sentences[Math.Max(0, index - 2)].First, _doc.Sentences[Math.Min(_doc.Sentences.Count - 1, index + 2)].End)) return;
            if ((needs & PhraseNeeds.Person) != 0 && !HasPerson(prevFrom, s.End)) return;
            if ((needs & PhraseNeeds.Second) != 0 && !SecondWords.AnyIn(T, s.First, s.End)) return;
            if ((needs & PhraseNeeds.Condition) != 0 && !ConditionWords.AnyIn(T, prevFrom, s.End)) return;
            if ((needs & PhraseNeeds.See) != 0 && !SeeWords.AnyIn(T, prevFrom, s.End)) return;
            if ((needs & PhraseNeeds.ClauseEnd) != 0 && end < _doc.Clauses[T[end - 1].Clause].EndToken) return;
            var boosted = c.Boost is not null && c.Boost.AnyIn(T, from, to);
            if ((needs & PhraseNeeds.Boost) != 0 && !boosted) return;

            var kind = p.Kind;
            if (kind is SpeechKind.Glorification or SpeechKind.Support && NearSentence(s, W.Counter | W.Victim) && HasInSentence(s, W.Counter | W.Victim)) return;
            // A consequence announced by "someone", "every patriot", "qualcuno" is a call on others, not the speaker's threat.
            if (kind == SpeechKind.Threat && CallerBeforeInSentence(s, start)) kind = SpeechKind.Incitement;

            // A time or a place is what turns a warning into an announcement: +0.2 for the first, +0.05 for both.
            var score = p.Weight + (boosted ? 0.2 : 0) + (time >= 0 || place >= 0 ? 0.2 : 0) + (time >= 0 && place >= 0 ? 0.05 : 0);
            var mods = Modifiers(start, s) & ~SpeechModifiers.GameContext;
            if ((needs & PhraseNeeds.Rhetorical) != 0) mods &= ~SpeechModifiers.Question;
            if (PhraseGame(from, to, start, end)) mods |= SpeechModifiers.GameContext;
            if (StrictNews.AnyIn(T, from, to)) mods |= SpeechModifiers.NewsContext;
            score = Modulate(Math.Min(1, score), mods);
            var phrase = _doc.Original(start, end - 1);
            var timeText = time >= 0 ? TimePhrase(time) : null;
            var placeText = place >= 0 ? PlacePhrase(place) : null;
            var explanation = $"{p.What}: '{phrase}'" + (placeText is not null ? $" + place '{placeText}'" : "") + (timeText is not null ? $" + time '{timeText}'" : "")
                              + (boosted ? " + a word that strengthens it" : "") + Caveats(mods);
            Add(kind, score, explanation, phrase, null, timeText, placeText, mods, p.Language, s);
        }

        private bool HasConditionWord(Sentence s) => ConditionWords.AnyIn(T, s.First, s.End);

        private (int From, int To) NeighbourRange(int index)
        {
            var from = _doc.Sentences[Math.Max(0, index - 1)].First;
            var to = _doc.Sentences[Math.Min(_doc.Sentences.Count - 1, index + 1)].End;
            return (from, to);
        }

        private bool CallerBeforeInSentence(Sentence s, int start)
        {
            for (var j = s.First; j < start; j++)
                if (T[j].Is(W.Caller) && T[j].Span is "someone" or "somebody" or "qualcuno" or "every" or "ogni" or "anyone" or "anybody" or "chiunque") return true;
            return false;
        }

        private bool HasFutureCue(Sentence s)
        {
            for (var j = s.First; j < s.End; j++)
            {
                var t = T[j];
                if ((t.Flags & (W.Future | W.Volition | W.Conditional | W.Obligation)) != 0 || IsTime(j)) return true;
                var w = t.Span;
                if (w.Length >= 6 && (w.EndsWith("rai") || w.EndsWith("ranno") || w.EndsWith("remo") || w.EndsWith("rete"))) return true;
                if (w.Length >= 8 && (w.EndsWith("era") || w.EndsWith("ira"))) return true;
            }
            return FutureWords.AnyIn(T, s.First, s.End);
        }

        /// <summary>A word of violence outside the match itself.</summary>
        private bool HasHarm(int from, int to, int start, int end)
        {
            for (var j = from; j < to; j++)
            {
                if (j >= start && j < end) continue;
                var t = T[j];
                if (t.Lex?.Act is not null || (t.Flags & (W.Weapon | W.NominalAct | W.Die | W.Death | W.Doom)) != 0) return true;
            }
            return HarmWords.AnyIn(T, from, start) || HarmWords.AnyIn(T, end, to);
        }

        /// <summary>An attack, a perpetrator, a designated group, a past violent act or a body count near the sentence.</summary>
        private bool HasReference(int from, int to)
        {
            for (var j = from; j < to; j++)
            {
                var t = T[j];
                if (t.Is(W.AttackRef) || t.Is(W.Designated) || IsIslamicState(j)) return true;
                if (IsNumber(j) || NumberWords.AnyIn(T, j, j + 1))
                {
                    if (BodyCountAfter.AnyIn(T, j + 1, Math.Min(to, j + 4))) return true;
                    if (BodyCountBefore.AnyIn(T, Math.Max(from, j - 4), j)) return true;
                }
            }
            return ReferenceWords.AnyIn(T, from, to);
        }

        private bool HasPerson(int from, int to)
        {
            for (var j = from; j < to; j++)
            {
                var t = T[j];
                if ((t.Is(W.Person) || t.Is(W.Group) || t.Is(W.ThirdPerson)) && t.Span is not ("la" or "le" or "lo" or "li")) return true;
                // "that journo", "quel giornalista": a demonstrative and a noun the lexicon does not know.
                if (t.Span is "that" or "this" or "those" or "these" or "quel" or "quello" or "quella" or "quei" or "quegli" or "quelle" && j + 1 < to && T[j + 1].Lex is null) return true;
            }
            return false;
        }
    }
}
