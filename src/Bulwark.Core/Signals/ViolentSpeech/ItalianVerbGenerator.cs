using System.Text;
using System.Text.Json;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>
/// Writes every form of the Italian verbs the violent-speech analyser reads, from a conjugation table instead of a hand-made
/// list: the table is RosaeNLG's <c>italian-verbs-dict</c> 3.4.0 <c>verbs.json</c> (derived from Morph-it!, CC BY-SA 2.0 or
/// LGPL), shaped verb → mood → tense → person. Each finite, participle and imperative form is copied as it is; enclitic forms
/// are built by rule: the infinitive without its final <c>-e</c> ("ammazzar-ti", "far-la"), the gerund ("uccidendo-li") and
/// the imperative ("uccidete-li", "ammazza-la", "fal-lo" with the doubled consonant after a one-syllable imperative), each
/// with every single clitic pronoun and the usual pairs ("gliela", "te lo"). Two quirks of the table are handled: its
/// <c>inf.pres</c> and <c>ger.pres</c> sometimes hold a clitic form ("uccidervi", "uccidendone"), so the infinitive is the
/// entry's key and the gerund is stripped of its clitics; auxiliaries absent from the table ("essere") are not needed here.
/// Output: one <c>form TAB lemma TAB analysis</c> line per reading, sorted, so regenerating gives the same bytes.
/// </summary>
public static class ItalianVerbGenerator
{
    /// <summary>Verbs of violence (the acts), the complements of "far saltare / far esplodere", and the auxiliaries and modals
    /// whose person and tense tell intent ("voglio", "sto per", "dobbiamo", "andrebbero").</summary>
    public static readonly IReadOnlyList<string> Lemmas =
    [
        // acts
        "uccidere", "ammazzare", "accoltellare", "pugnalare", "sgozzare", "decapitare", "scannare", "trucidare", "massacrare",
        "sterminare", "giustiziare", "fucilare", "impiccare", "strangolare", "strozzare", "linciare", "mitragliare", "crivellare",
        "squartare", "freddare", "sparare", "bombardare", "incendiare", "bruciare", "investire", "stuprare", "violentare",
        "torturare", "annientare", "macellare", "lapidare", "crocifiggere", "sventrare", "falciare", "travolgere",
        "picchiare", "colpire", "attaccare", "eliminare", "pestare", "ferire", "distruggere",
        // complements: "far saltare (in aria)", "farsi esplodere", "meritano di morire"
        "esplodere", "saltare", "morire",
        // auxiliaries and modals
        "fare", "dare", "volere", "dovere", "potere", "stare", "andare", "venire", "meritare",
    ];

    /// <summary>Lemmas that also get enclitic forms (the modals do not: "volerti" adds nothing to "voglio").</summary>
    private static readonly HashSet<string> NoEnclitics = new(StringComparer.Ordinal)
        { "volere", "dovere", "potere", "stare", "andare", "venire", "meritare" };

    private static readonly string[] Clitics = ["mi", "ti", "ci", "vi", "si", "lo", "la", "li", "le", "gli", "ne"];
    private static readonly string[] ClusterHeads = ["me", "te", "ce", "ve", "se", "glie"];
    private static readonly string[] ClusterTails = ["lo", "la", "li", "le", "ne"];

    /// <summary>Every clitic or clitic pair an enclitic form can end with, longest first.</summary>
    private static readonly string[] AllClitics = ClusterHeads.SelectMany(h => ClusterTails.Select(t => h + t))
        .Concat(Clitics).OrderByDescending(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).ToArray();

    private static readonly string[] Moods = ["ind", "sub", "cond", "impr", "part"];

    /// <summary>Reads the table at <paramref name="verbsJsonPath"/> and returns the TSV text; throws <see cref="InvalidDataException"/> naming the problem when the file is not the expected shape or lacks a lemma.</summary>
    public static string Generate(string verbsJsonPath, IReadOnlyList<string>? lemmas = null)
    {
        using var stream = File.OpenRead(verbsJsonPath);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(stream); }
        catch (JsonException ex) { throw new InvalidDataException($"{verbsJsonPath} is not valid JSON: {ex.Message}", ex); }
        using (doc) return Generate(doc.RootElement, verbsJsonPath, lemmas ?? Lemmas);
    }

    private static string Generate(JsonElement root, string source, IReadOnlyList<string> lemmas)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected an object of verbs at the top level.");
        var rows = new SortedSet<(string Form, string Lemma, string Analysis)>(Comparer<(string, string, string)>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.Item1, b.Item1);
            if (c == 0) c = string.CompareOrdinal(a.Item2, b.Item2);
            return c != 0 ? c : string.CompareOrdinal(a.Item3, b.Item3);
        }));
        var missing = new List<string>();
        foreach (var lemma in lemmas)
        {
            if (!root.TryGetProperty(lemma, out var verb) || verb.ValueKind != JsonValueKind.Object) { missing.Add(lemma); continue; }
            Add(rows, lemma, lemma, "inf");
            foreach (var mood in Moods)
            {
                if (!verb.TryGetProperty(mood, out var tenses) || tenses.ValueKind != JsonValueKind.Object) continue;
                foreach (var tense in tenses.EnumerateObject())
                {
                    if (tense.Value.ValueKind != JsonValueKind.Object) continue;
                    foreach (var person in tense.Value.EnumerateObject())
                        if (person.Value.ValueKind == JsonValueKind.String && person.Value.GetString() is { Length: > 0 } form)
                            Add(rows, form, lemma, $"{mood}.{tense.Name}.{person.Name}");
                }
            }
            var gerund = Gerund(lemma, verb);
            Add(rows, gerund, lemma, "ger");
            if (NoEnclitics.Contains(lemma)) continue;

            var infStem = lemma.EndsWith("rre", StringComparison.Ordinal) ? lemma[..^2] : lemma[..^1];
            foreach (var clitic in AllClitics)
            {
                Add(rows, infStem + clitic, lemma, "inf+" + clitic);
                Add(rows, gerund + clitic, lemma, "ger+" + clitic);
            }
            if (verb.TryGetProperty("impr", out var impr) && impr.TryGetProperty("pres", out var imprPres) && imprPres.ValueKind == JsonValueKind.Object)
                foreach (var person in imprPres.EnumerateObject())
                {
                    if (person.Value.GetString() is not { Length: > 0 } form) continue;
                    var plain = StripAccents(form);
                    // A one-syllable imperative ("fai", "dai") drops its -i and doubles the clitic's consonant: "fallo", "dagli".
                    var monosyllable = person.Name == "S2" && plain.Length == 3 && plain.EndsWith("ai", StringComparison.Ordinal);
                    foreach (var clitic in AllClitics)
                    {
                        var attached = monosyllable
                            ? plain[..^1] + (clitic.StartsWith("gli", StringComparison.Ordinal) ? clitic : clitic[0] + clitic)
                            : plain + clitic;
                        Add(rows, attached, lemma, $"impr.pres.{person.Name}+{clitic}");
                    }
                }
        }
        if (missing.Count > 0) throw new InvalidDataException($"{source}: no entry for {string.Join(", ", missing)} (is this italian-verbs-dict's verbs.json?).");

        var sb = new StringBuilder();
        sb.Append("# Italian forms of the verbs the violent-speech analyser reads: form, lemma, analysis (mood.tense.person, +enclitic).\n");
        sb.Append("# Generated by `bulwark lexicon italian-verbs` from italian-verbs-dict 3.4.0 (RosaeNLG), derived from Morph-it!;\n");
        sb.Append("# licence CC BY-SA 2.0 or LGPL (see it-violent-verbs.LICENSE.md). Do not edit by hand: regenerate.\n");
        foreach (var (form, lemma, analysis) in rows) sb.Append(form).Append('\t').Append(lemma).Append('\t').Append(analysis).Append('\n');
        return sb.ToString();
    }

    /// <summary>The plain gerund: the table's form without the clitics it sometimes carries, or by rule when it has none.</summary>
    private static string Gerund(string lemma, JsonElement verb)
    {
        if (verb.TryGetProperty("ger", out var ger) && ger.TryGetProperty("pres", out var pres) && pres.GetString() is { Length: > 0 } form)
        {
            for (var guard = 0; guard < 3 && !form.EndsWith("ndo", StringComparison.Ordinal); guard++)
            {
                var clitic = AllClitics.FirstOrDefault(c => form.EndsWith(c, StringComparison.Ordinal) && form.Length > c.Length + 3);
                if (clitic is null) break;
                form = form[..^clitic.Length];
            }
            if (form.EndsWith("ndo", StringComparison.Ordinal)) return form;
        }
        return lemma.EndsWith("are", StringComparison.Ordinal) ? lemma[..^3] + "ando" : lemma[..^3] + "endo";
    }

    private static void Add(SortedSet<(string, string, string)> rows, string form, string lemma, string analysis) => rows.Add((form, lemma, analysis));

    private static string StripAccents(string s)
    {
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
