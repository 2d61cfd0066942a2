using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Tests.Classifiers;

public class ExtractorTests
{
    private static readonly ClassifierRegistry Registry = ClassifierRegistry.FromOptions(new ClassifierOptions());

    private static async Task<PipelineContext> Run(ContentEvent e, ClassifierOptions? options = null)
    {
        var context = new PipelineContext(1, e.Id ?? "c1", 1, e);
        var result = await new TextClassifierExtractor(Registry, options ?? new ClassifierOptions()).ExtractAsync(context, default);
        Assert.True(result.Ok);
        return context;
    }

    [Fact]
    public async Task A_threat_in_a_caption_becomes_a_classifier_signal_that_names_the_model_version()
    {
        var ctx = await Run(new ContentEvent { Id = "v1", Kind = "video", Text = "I'm going to shoot up the school tomorrow", Language = "en" });
        var signal = Assert.Single(ctx.Signals, s => s.Type == "classifier.threat");
        Assert.Equal("text-classifier:bulwark-text-en-it@1.4.0", signal.Source);
        Assert.Contains("model:bulwark-text-en-it@1.4.0", signal.Labels!);
        Assert.Contains("fired", signal.Labels!);
        Assert.Equal("text", signal.Value);
        Assert.Contains("version 1.4.0", signal.Explanation);
        Assert.True(signal.Score > 0.5);
    }

    [Fact]
    public async Task Comments_and_bios_are_classified_as_their_own_fields()
    {
        var ctx = await Run(new ContentEvent
        {
            Id = "c2", Kind = "comment", Text = "Ti ammazzo domani, so dove abiti.", Language = "it-IT",
            Account = new AccountRef { Id = "a", Bio = "Long live the Islamic State, the soldiers of the caliphate are lions." },
        });
        Assert.Contains(ctx.Signals, s => s.Type == "classifier.threat" && s.Value == "comment" && s.Labels!.Contains("fired"));
        Assert.Contains(ctx.Signals, s => s.Type == "classifier.glorification" && s.Value == "account.bio" && s.Labels!.Contains("fired"));
        Assert.DoesNotContain(ctx.Signals, s => s.Labels!.Any(l => l.StartsWith("unsupported-language", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Empty_events_give_no_signals_and_benign_text_fires_nothing()
    {
        Assert.Empty((await Run(new ContentEvent { Id = "e", Kind = "video" })).Signals);
        Assert.Empty((await Run(new ContentEvent { Id = "e", Kind = "text", Text = "   ", Account = new AccountRef { Bio = "" } })).Signals);
        var benign = await Run(new ContentEvent { Id = "b", Kind = "text", Text = "Lovely sunset at the beach with my family", Language = "en" });
        Assert.DoesNotContain(benign.Signals, s => s.Labels!.Contains("fired"));
    }

    [Fact]
    public async Task A_threat_at_the_end_of_64_KiB_is_scored_and_the_explanation_points_at_it()
    {
        var filler = string.Concat(Enumerable.Repeat("We had a lovely walk by the river and then a coffee with friends. ", 1000));
        var text = filler + "I will kill you all tomorrow.";
        Assert.True(text.Length > 64 * 1024);
        var ctx = await Run(new ContentEvent { Id = "h", Kind = "text", Text = text, Language = "de" });
        var s = Assert.Single(ctx.Signals, x => x.Type == "classifier.threat");
        Assert.Contains("fired", s.Labels!);
        Assert.Contains("unsupported-language:de", s.Labels!);
        Assert.Contains("not one the model was trained on", s.Explanation);
        // The explanation names the window that scored: its offsets and an excerpt.
        Assert.Contains($"text[{filler.Length}..{text.Length}] \"I will kill you all tomorrow.\"", s.Explanation);
        Assert.Contains("the strongest of", s.Explanation);
    }

    [Fact]
    public async Task Appended_text_does_not_dilute_a_threat()
    {
        var alone = Assert.Single((await Run(new ContentEvent { Id = "a", Kind = "comment", Text = "I'm going to shoot up the school tomorrow." })).Signals, s => s.Type == "classifier.threat");
        var padded = "Such a nice day today, we went to the park and had ice cream with the kids, then watched a film at home. " +
                     "I'm going to shoot up the school tomorrow. Anyway, has anyone tried the new pizza place in town? The reviews say it is great.";
        var s = Assert.Single((await Run(new ContentEvent { Id = "b", Kind = "comment", Text = padded })).Signals, s => s.Type == "classifier.threat");
        Assert.Equal(alone.Score, s.Score);
        Assert.Contains("fired", s.Labels!);
        Assert.Contains("\"I'm going to shoot up the school tomorrow.\"", s.Explanation);
        Assert.Contains("comment[", s.Explanation);
    }

    [Theory]
    [InlineData("Al")]
    [InlineData("wow nice")]
    [InlineData("user4")]
    [InlineData("🔥🔥🔥 !!!")]
    [InlineData("@user4 #jihad https://example.org/x")]
    public async Task Short_texts_and_identifiers_are_not_run_through_the_prose_heads(string comment)
    {
        var ctx = await Run(new ContentEvent
        {
            Id = "s", Kind = "comment", Text = comment, Hashtags = ["killthemall", "user4"],
            Account = new AccountRef { Id = "a", Handle = "user4", DisplayName = "Hassan_Omar99" },
        });
        Assert.Empty(ctx.Signals);
        Assert.NotNull(TextWindows.NotProse("comment", comment));
        Assert.Contains("identifier", TextWindows.NotProse("account.handle", "user4"));
        Assert.Contains("handle", TextWindows.NotProse("account.displayName", "Hassan_Omar99"));
    }

    [Fact]
    public async Task A_display_name_of_several_words_is_still_read_as_prose()
    {
        Assert.Null(TextWindows.NotProse("account.displayName", "Soldier of the Caliphate"));
        var ctx = await Run(new ContentEvent { Id = "d", Kind = "comment", Text = "nice", Account = new AccountRef { Id = "a", DisplayName = "Long live the Islamic State" } });
        Assert.Contains(ctx.Signals, s => s.Value == "account.displayName");
    }

    [Fact]
    public async Task The_extractor_is_registered_in_the_pipeline()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        services.AddBulwarkClassifiers(config);
        using var sp = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var extractors = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<ISignalExtractor>(sp);
        Assert.Contains(extractors, e => e is TextClassifierExtractor);
        await Task.CompletedTask;
    }
}
