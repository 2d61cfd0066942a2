using System.Text.Json;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.KnownContent;

/// <summary>The demo seeds a perceptual bank and re-uploads that differ byte for byte; the pipeline catches both on a fresh database.</summary>
public class KnownContentDemoTests
{
    [Fact]
    public async Task The_demo_catches_resized_and_reencoded_reuploads_of_its_image_and_video_and_a_covered_copy()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(default);

        // The image's entry is labelled glorification and its PDQ is near: the shipped rule glorify-known-pdq removes it.
        // The video's entry is perpetrator-produced material, which the shipped rules send to a person.
        // The covered copy's whole frames miss; the same halves match.
        foreach (var (id, signalType, outcome) in new[]
        {
            (DemoKnownContent.ImageItem, "pdq", "remove"), (DemoKnownContent.VideoItem, "vpdq", "review"), (DemoKnownContent.CoveredVideoItem, "vpdq", "review"),
        })
        {
            var item = await host.WaitForStatusAsync(id);
            var signals = item.GetProperty("signals").EnumerateArray().ToList();
            var match = Assert.Single(signals, s => s.GetProperty("type").GetString() == "hash.match");
            Assert.Equal(DemoKnownContent.BankName, match.GetProperty("bank").GetString());
            Assert.StartsWith($"media[0] {signalType}", match.GetProperty("explanation").GetString());
            Assert.Contains("attributed to DEMO Synthetic Group", match.GetProperty("explanation").GetString());
            // Not an exact copy: no exact-hash entry matched, the perceptual one did.
            Assert.DoesNotContain(signals, s => s.GetProperty("explanation").GetString()!.Contains("sha256 equals"));
            Assert.Equal(outcome, item.GetProperty("decision").GetProperty("outcome").GetString());
            Assert.Equal(id == DemoKnownContent.CoveredVideoItem, match.GetProperty("explanation").GetString()!.Contains("by region hashes"));
        }
    }
}
