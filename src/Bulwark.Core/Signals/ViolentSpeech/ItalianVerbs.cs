using System.Reflection;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>What an Italian form can be, folded over its readings ("uccidete": present indicative and imperative, second plural).</summary>
[Flags]
internal enum ItalianForm
{
    None = 0,
    FirstFuture = 1 << 0,       // ucciderò, uccideremo
    FirstPresent = 1 << 1,      // uccido, uccidiamo
    FirstConditional = 1 << 2,  // ucciderei, uccideremmo
    FirstPlural = 1 << 3,       // any first person plural: "uccidiamo" is also "let's kill"
    Imperative = 1 << 4,        // uccidi, uccidete, uccideteli, ammazzala
    Infinitive = 1 << 5,        // uccidere, ucciderti
    Gerund = 1 << 6,
    Participle = 1 << 7,        // ucciso, impiccati
    PastFinite = 1 << 8,        // uccise, uccideva
    SecondPerson = 1 << 9,      // finite S2/P2 (not imperative)
    ThirdPerson = 1 << 10,      // finite S3/P3
    Subjunctive3 = 1 << 11,     // "che muoiano"
    Conditional3 = 1 << 12,     // andrebbero, dovrebbe
    Present3 = 1 << 13,         // vanno, devono, merita
    CliticSecond = 1 << 14,     // -ti, -vi, -telo
    CliticThird = 1 << 15,      // -lo, -la, -li, -le, -gli
    CliticFirst = 1 << 16,      // -mi, -ci
    CliticSelf = 1 << 17,       // -si, -sene
    FirstSingular = 1 << 18,    // any first person singular
    Future3 = 1 << 19,
}

/// <summary>
/// The generated Italian verb forms (Data/it-violent-verbs.tsv, see <see cref="ItalianVerbGenerator"/>), loaded once from the
/// embedded resource and folded through <see cref="TextNormalizer"/> so that "ucciderò" is found as the analyser reads it, "uccidero".
/// </summary>
internal static class ItalianVerbs
{
    public const string ResourceName = "Bulwark.ViolentSpeech/it-violent-verbs.tsv";

    /// <summary>The shipped TSV, as text.</summary>
    public static string ShippedText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Bulwark.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Normalised form → (lemma, what the form can be).</summary>
    public static Dictionary<string, (string Lemma, ItalianForm Form)> Load()
    {
        var forms = new Dictionary<string, (string Lemma, ItalianForm Form)>(StringComparer.Ordinal);
        foreach (var line in ShippedText().Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split('\t');
            if (parts.Length != 3) throw new InvalidDataException($"{ResourceName}: expected form, lemma and analysis separated by tabs: '{line}'.");
            var form = TextNormalizer.Normalize(parts[0]).Text;
            var reading = Read(parts[2]);
            // A form shared by two lemmas keeps the first (the file is sorted); none of the listed verbs share an act form.
            if (forms.TryGetValue(form, out var existing))
            {
                if (existing.Lemma == parts[1]) forms[form] = (existing.Lemma, existing.Form | reading);
            }
            else forms[form] = (parts[1], reading);
        }
        return forms;
    }

    /// <summary>"ind.fut.S1", "impr.pres.P2+li", "inf+ti", "ger", "part.past.P" → flags.</summary>
    internal static ItalianForm Read(string analysis)
    {
        var plus = analysis.IndexOf('+');
        var clitic = plus < 0 ? "" : analysis[(plus + 1)..];
        var core = plus < 0 ? analysis : analysis[..plus];
        var parts = core.Split('.');
        var mood = parts[0];
        var tense = parts.Length > 1 ? parts[1] : "";
        var person = parts.Length > 2 ? parts[2] : "";
        var first = person is "S1" or "P1";
        var f = ItalianForm.None;
        switch (mood)
        {
            case "inf": f |= ItalianForm.Infinitive; break;
            case "ger": f |= ItalianForm.Gerund; break;
            case "part": f |= tense == "past" ? ItalianForm.Participle : ItalianForm.None; break;
            case "impr": f |= ItalianForm.Imperative; break;
            case "ind" when tense == "fut": f |= first ? ItalianForm.FirstFuture : person is "S3" or "P3" ? ItalianForm.Future3 : ItalianForm.SecondPerson; break;
            case "ind" when tense == "pres": f |= first ? ItalianForm.FirstPresent : person is "S3" or "P3" ? ItalianForm.Present3 : ItalianForm.SecondPerson; break;
            case "ind": f |= ItalianForm.PastFinite; break;
            case "cond": f |= first ? ItalianForm.FirstConditional : person is "S3" or "P3" ? ItalianForm.Conditional3 : ItalianForm.SecondPerson; break;
            case "sub": f |= person is "S3" or "P3" ? ItalianForm.Subjunctive3 : ItalianForm.None; break;
        }
        if (mood is "ind" or "cond" or "sub" && person is "S3" or "P3") f |= ItalianForm.ThirdPerson;
        if (person == "P1") f |= ItalianForm.FirstPlural;
        if (person == "S1" && mood is "ind" or "cond") f |= ItalianForm.FirstSingular;
        if (clitic.Length > 0)
        {
            if (clitic.StartsWith("glie", StringComparison.Ordinal) || clitic is "lo" or "la" or "li" or "le" or "gli") f |= ItalianForm.CliticThird;
            else if (clitic[0] is 't' or 'v') f |= ItalianForm.CliticSecond;
            else if (clitic[0] is 'm' or 'c') f |= ItalianForm.CliticFirst;
            else if (clitic[0] == 's') f |= ItalianForm.CliticSelf;
        }
        return f;
    }
}
