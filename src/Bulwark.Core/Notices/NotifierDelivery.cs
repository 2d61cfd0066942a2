using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Notices;

/// <summary>A message to one notifier, as the outbox holds it.</summary>
public sealed record NotifierMessage(long DeliveryId, long NoticeId, string Kind, string Recipient, string Language, string Subject, string Body);

/// <summary>Whether the channel took the message; a failure is retried with backoff up to <see cref="NoticeOptions.MaxDeliveryAttempts"/>.</summary>
public sealed record ChannelResult(bool Sent, string? Error = null);

/// <summary>
/// How messages reach notifiers. The platform plugs in its own (its mailer, its in-app inbox); the default
/// <see cref="RecordedNotifierChannel"/> records the message as sent in the delivery log and the server log, which is what a
/// deployment without a mailer has to show.
/// </summary>
public interface INotifierChannel
{
    string Name { get; }
    Task<ChannelResult> SendAsync(NotifierMessage message, CancellationToken ct);
}

/// <summary>The default channel: the delivery row is the record (subject, body, recipient, time); the log says it was released.</summary>
public sealed class RecordedNotifierChannel(ILogger<RecordedNotifierChannel> log) : INotifierChannel
{
    public string Name => "recorded";

    public Task<ChannelResult> SendAsync(NotifierMessage message, CancellationToken ct)
    {
        log.LogInformation("Notifier message {DeliveryId} ({Kind}) for notice {NoticeId} released to {Recipient}", message.DeliveryId, message.Kind, message.NoticeId, message.Recipient);
        return Task.FromResult(new ChannelResult(true));
    }
}

/// <summary>Sends the outbox: pending messages whose time has come, at least once; a failed send is retried with exponential backoff.</summary>
public sealed class NotifierDelivery(IBulwarkDbFactory dbs, INotifierChannel channel, NoticeOptions options, TimeProvider clock)
{
    public async Task<int> SendPendingAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var due = (await db.Set<NotifierDeliveryRow>().AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending).OrderBy(d => d.Id).Take(200).ToListAsync(ct))
            .Where(d => d.NextAttemptAt is null || d.NextAttemptAt <= now).ToList();
        var sent = 0;
        foreach (var d in due)
        {
            ChannelResult result;
            try { result = await channel.SendAsync(new NotifierMessage(d.Id, d.NoticeId, d.Kind, d.Recipient!, d.Language, d.Subject, d.Body), ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { result = new(false, ex.Message); }
            var attempts = d.Attempts + 1;
            var after = clock.GetUtcNow();
            await using var write = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(write, ct);
            var row = await write.Set<NotifierDeliveryRow>().FirstAsync(x => x.Id == d.Id, ct);
            row.Attempts = attempts;
            row.Channel = channel.Name;
            if (result.Sent) { row.Status = DeliveryStatus.Sent; row.SentAt = after; row.LastError = null; sent++; }
            else
            {
                row.LastError = (result.Error ?? "the channel refused the message") is { Length: > 1000 } e ? e[..1000] : result.Error ?? "the channel refused the message";
                row.Status = attempts >= options.MaxDeliveryAttempts ? DeliveryStatus.Failed : DeliveryStatus.Pending;
                row.NextAttemptAt = after + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts - 1)));
            }
            await write.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return sent;
    }
}
