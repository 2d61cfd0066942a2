using Bulwark.Core.Signals.ViolentSpeech;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>The generated Italian verb table and the English inflections.</summary>
public class LexiconTests
{
    private static string VerbsJson() => TestData.Path("lexicons", "italian_morphology", "verbs", "dist", "verbs.json");

    [Fact]
    public void The_shipped_italian_table_is_exactly_what_the_generator_writes_from_the_shared_data()
    {
        var generated = ItalianVerbGenerator.Generate(VerbsJson());
        var shipped = ItalianVerbs.ShippedText();
        Assert.True(generated == shipped,
            "Data/it-violent-verbs.tsv differs from a fresh generation; run `bulwark lexicon italian-verbs --verbs …/verbs.json --out src/Bulwark.Core/Signals/ViolentSpeech/Data/it-violent-verbs.tsv`.");
    }

    [Fact]
    public void The_table_holds_every_person_tense_and_mood_and_the_enclitic_forms_built_by_rule()
    {
        var rows = ItalianVerbs.ShippedText().Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToList();
        bool Has(string form, string lemma, string analysis) => rows.Any(r => r[0] == form && r[1] == lemma && r[2] == analysis);
        Assert.True(Has("ucciderò", "uccidere", "ind.fut.S1"));
        Assert.True(Has("uccideremmo", "uccidere", "cond.pres.P1"));
        Assert.True(Has("uccidano", "uccidere", "sub.pres.P3"));
        Assert.True(Has("accoltello", "accoltellare", "ind.pres.S1"));
        Assert.True(Has("impiccati", "impiccare", "part.past.P"));
        Assert.True(Has("ammazzarti", "ammazzare", "inf+ti"));
        Assert.True(Has("sparargli", "sparare", "inf+gli"));
        Assert.True(Has("uccideteli", "uccidere", "impr.pres.P2+li"));
        Assert.True(Has("sgozzateli", "sgozzare", "impr.pres.P2+li"));
        Assert.True(Has("ammazzala", "ammazzare", "impr.pres.S2+la"));
        Assert.True(Has("uccidendoli", "uccidere", "ger+li"));
        Assert.True(Has("farla", "fare", "inf+la"));
        // A one-syllable imperative doubles the clitic's consonant: "fallo", "dagli".
        Assert.True(Has("fallo", "fare", "impr.pres.S2+lo"));
        Assert.True(Has("dagli", "dare", "impr.pres.S2+gli"));
        // The source's gerund carries a clitic ("uccidendone"); the plain gerund is restored.
        Assert.True(Has("uccidendo", "uccidere", "ger"));
        // Every listed lemma is there, and its infinitive is the lemma, not the source's clitic form ("uccidervi").
        foreach (var lemma in ItalianVerbGenerator.Lemmas) Assert.True(Has(lemma, lemma, "inf"), lemma);
    }

    [Fact]
    public void The_generator_refuses_a_file_that_is_not_the_table_and_names_the_problem()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-verbs-");
        try
        {
            var notJson = Path.Combine(dir.FullName, "a.json");
            File.WriteAllText(notJson, "{ not json");
            Assert.Contains("is not valid JSON", Assert.Throws<InvalidDataException>(() => ItalianVerbGenerator.Generate(notJson)).Message);
            var missing = Path.Combine(dir.FullName, "b.json");
            File.WriteAllText(missing, """{"ammazzare": {"ind": {"pres": {"S1": "ammazzo"}}}}""");
            var ex = Assert.Throws<InvalidDataException>(() => ItalianVerbGenerator.Generate(missing));
            Assert.Contains("no entry for uccidere", ex.Message);
            var array = Path.Combine(dir.FullName, "c.json");
            File.WriteAllText(array, "[]");
            Assert.Contains("expected an object", Assert.Throws<InvalidDataException>(() => ItalianVerbGenerator.Generate(array)).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_generator_builds_enclitics_from_a_tiny_table()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-verbs-");
        try
        {
            var path = Path.Combine(dir.FullName, "v.json");
            File.WriteAllText(path, """
                {"fare": {"ger": {"pres": "facendovi"}, "impr": {"pres": {"S2": "fai", "P2": "fate"}}, "ind": {"fut": {"S1": "farò"}}, "inf": {"pres": "farvi"}}}
                """);
            var tsv = ItalianVerbGenerator.Generate(path, ["fare"]);
            var forms = tsv.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[0] + " " + l.Split('\t')[2]).ToHashSet();
            Assert.Contains("fare inf", forms);
            Assert.Contains("farò ind.fut.S1", forms);
            Assert.Contains("facendo ger", forms);
            Assert.Contains("facendoli ger+li", forms);
            Assert.Contains("farla inf+la", forms);
            Assert.Contains("falla impr.pres.S2+la", forms);
            Assert.Contains("fagli impr.pres.S2+gli", forms);
            Assert.Contains("fatela impr.pres.P2+la", forms);
            Assert.Contains("fargliela inf+gliela", forms);
            Assert.DoesNotContain("failla impr.pres.S2+la", forms);
            // Sorted and stable: generating twice gives the same text.
            Assert.Equal(tsv, ItalianVerbGenerator.Generate(path, ["fare"]));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("kill", "kills killed killing")]
    [InlineData("stab", "stabs stabbed stabbing")]
    [InlineData("strangle", "strangles strangled strangling")]
    [InlineData("shoot", "shoots shot shooting")]
    [InlineData("blow", "blows blew blown blowing")]
    [InlineData("bury", "buries buried burying")]
    [InlineData("torch", "torches torched torching")]
    [InlineData("gun", "guns gunned gunning")]
    [InlineData("mow", "mows mowed mown mowing")]
    [InlineData("behead", "beheads beheaded beheading")]
    public void English_verbs_are_inflected_by_rule_with_a_short_irregular_table(string lemma, string forms)
    {
        var produced = EnglishVerbs.Inflect(lemma).Select(f => f.Form).ToHashSet();
        foreach (var form in forms.Split(' ')) Assert.Contains(form, produced);
        Assert.Contains(lemma, produced);
    }

    [Fact]
    public void Every_italian_act_and_auxiliary_lemma_is_in_the_lexicon_with_its_forms()
    {
        foreach (var word in new[] { "ammazzarti", "sparargli", "uccideteli", "farla", "accoltello", "andrebbero", "vogliamo", "dovrebbe" })
            Assert.NotNull(SpeechLexicon.Find(word)?.ItalianLemma);
        // Accented forms are folded as the analyser reads them.
        Assert.Equal("uccidere", SpeechLexicon.Find("uccidero")?.ItalianLemma);
    }
}
