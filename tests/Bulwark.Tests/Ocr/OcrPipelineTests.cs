using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Ocr;

/// <summary>Text burnt into media and spoken in transcripts reaches the classifier through the whole pipeline.</summary>
public class OcrPipelineTests
{
    private static async Task<List<SignalRow>> ProcessAsync(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 10, default), default);
        Assert.Empty(outcome.Failed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Signals.OrderBy(s => s.Id).ToListAsync();
    }

    [Fact]
    public async Task A_threat_rendered_in_an_image_reaches_the_classifier_as_field_ocr_0()
    {
        TextMedia.RequireOcr();
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var image = TextMedia.Image(["I am going to shoot up", "the school tomorrow"]);
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(image), 1 << 24, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "m1", Kind = "image", Text = "Lovely sunset at the beach with my family", Media = [new MediaRef { Part = "m.png" }] },
            new Dictionary<string, StoredMedia> { ["m.png"] = new("m.png", stored.Sha256!, stored.Size, "image/png") }, default);

        var signals = await ProcessAsync(core);
        var ocr = Assert.Single(signals, s => s.Type == SignalTypes.OcrText);
        Assert.Contains("shoot up", ocr.Value!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"ocr:0\"", ocr.LabelsJson);
        var threat = Assert.Single(signals, s => s.Type == "classifier.threat" && s.Value == "ocr:0");
        Assert.Contains("\"fired\"", threat.LabelsJson);
        Assert.StartsWith("ocr:0[", threat.Explanation);
        Assert.Contains(": threat probability", threat.Explanation);
        Assert.DoesNotContain(signals, s => s.Type == "classifier.threat" && s.Value == "text" && s.LabelsJson.Contains("\"fired\""));
    }

    [Fact]
    public async Task A_threat_in_a_transcript_is_classified_as_field_transcript()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "v1", Kind = "video", Text = "my morning routine", Transcript = "I'm going to shoot up the school tomorrow, wait and see", Language = "en",
        }, null, default);
        var signals = await ProcessAsync(core);
        var threat = Assert.Single(signals, s => s.Type == "classifier.threat" && s.Value == "transcript");
        Assert.Contains("\"fired\"", threat.LabelsJson);
        Assert.DoesNotContain(signals, s => s.Type == "classifier.threat" && s.Value == "text" && s.LabelsJson.Contains("\"fired\""));
    }

    [Fact]
    public void Transcripts_are_bounded_like_text()
    {
        var validator = new ContentEventValidator(new IngestOptions { MaxFieldBytes = 100 }, new AddressGuard([]));
        var errors = validator.Validate(new ContentEvent { Id = "v", Kind = "video", Transcript = new string('a', 101) });
        var e = Assert.Single(errors);
        Assert.Equal("transcript", e.Field);
        Assert.Contains("at most 100 are accepted", e.Message);
        Assert.Empty(validator.Validate(new ContentEvent { Id = "v", Kind = "video", Transcript = "short" }));
    }

    [Fact]
    public void Pipeline_texts_include_the_transcript_and_OCR_text_after_the_event_fields()
    {
        var context = new PipelineContext(1, "v", 1, new ContentEvent { Id = "v", Kind = "video", Text = "caption", Transcript = "spoken words" });
        context.Signals.Add(new Signal(SignalTypes.OcrText, "ocr", "read", Value: "burnt in", Labels: ["ocr:0@4s", "languages:eng+ita"]));
        Assert.Equal([new("text", "caption"), new("transcript", "spoken words"), new("ocr:0@4s", "burnt in")], PipelineTexts.Of(context));
    }
}
