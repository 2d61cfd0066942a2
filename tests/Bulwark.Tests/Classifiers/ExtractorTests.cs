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
        Assert.Equal("text-classifier:bulwark-text-en-it@1.3.0", signal.Source);
        Assert.Contains("model:bulwark-text-en-it@1.3.0", signal.Labels!);
        Assert.Contains("fired", signal.Labels!);
        Assert.Equal("text", signal.Value);
        Assert.Contains("version 1.3.0", signal.Explanation);
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
    public async Task Huge_texts_and_unsupported_languages_are_scored_with_a_flag()
    {
        var huge = string.Concat(Enumerable.Repeat("I will kill you all tomorrow. ", 20_000));
        var ctx = await Run(new ContentEvent { Id = "h", Kind = "text", Text = huge, Language = "de" }, new ClassifierOptions { MaxChars = 4096 });
        var s = Assert.Single(ctx.Signals, x => x.Type == "classifier.threat");
        Assert.Contains("truncated", s.Labels!);
        Assert.Contains("unsupported-language:de", s.Labels!);
        Assert.Contains("not one the model was trained on", s.Explanation);
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
