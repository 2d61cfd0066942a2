using System.Collections.Concurrent;
using Bulwark.Core.Ingest;
using Bulwark.Core.Notices;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Notices;

/// <summary>A channel that keeps what it was given (the platform's mailer would send it), and can be told to fail.</summary>
public sealed class RecordingChannel : INotifierChannel
{
    public ConcurrentQueue<NotifierMessage> Sent { get; } = new();
    public int FailuresLeft { get; set; }
    public string Name => "test";

    public Task<ChannelResult> SendAsync(NotifierMessage message, CancellationToken ct)
    {
        if (FailuresLeft > 0) { FailuresLeft--; return Task.FromResult(new ChannelResult(false, "mail server answered 451 (try again later)")); }
        Sent.Enqueue(message);
        return Task.FromResult(new ChannelResult(true));
    }
}

internal static class NoticeScenario
{
    public const string Benign = "Lovely sunset over the harbour tonight, the fishing boats are coming back in";
    public const string Explanation = "This post praises an attack and asks others to copy it.";

    public static async Task<(CoreServices Core, RecordingChannel Channel)> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? extra = null)
    {
        var channel = new RecordingChannel();
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Review:QaSampleRate"] = "0",
            ["Bulwark:Notices:ContentUrlPatterns:0"] = "https://social.example/p/{id}",
            ["Bulwark:Notices:AppealUrl"] = "https://social.example/complaints",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var core = await CoreServices.CreateAsync(provider, settings, s => s.AddSingleton<INotifierChannel>(channel));
        return (core, channel);
    }

    /// <summary>Uploads plain text no detector flags and runs the pipeline, so the content has a "no action" decision.</summary>
    public static async Task PostBenignAsync(CoreServices core, params string[] ids)
    {
        foreach (var id in ids)
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "text", Text = Benign + " " + id, Language = "en", Account = new AccountRef { Id = "acct-" + id },
            }, null, default);
        await Review.ReviewScenario.RunAsync(core);
    }

    public static NoticeSubmission Notice(string? contentId, string? email = "notifier@example.org", long? flagger = null, string? url = null, string? language = null) =>
        new(contentId, url, Explanation, new NotifierInput("Example Notifier", email), true, flagger, language);
}
