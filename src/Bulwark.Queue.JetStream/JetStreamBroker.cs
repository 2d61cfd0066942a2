using Bulwark.Core.Pipeline;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Bulwark.Queue.JetStream;

/// <summary>The broker is unreachable or unusable (no JetStream); the message names the server and what to do.</summary>
public sealed class JetStreamUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The connection, the work stream and the shared durable consumer. Stream and consumer are created or brought up to date
/// on first use and again after an API error (a stream deleted under running workers is recreated, and logged as an error).
/// </summary>
public sealed class JetStreamBroker(JetStreamOptions options, PipelineOptions pipeline, ILogger<JetStreamBroker> log) : IAsyncDisposable
{
    private readonly NatsConnection _connection = new(new NatsOpts { Url = options.Url, Name = $"bulwark:{Environment.MachineName}:{Environment.ProcessId}" });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NatsJSContext? _js;
    private INatsJSConsumer? _consumer;
    private bool _ensuredOnce;

    public JetStreamOptions Options => options;
    public string? LastError { get; private set; }

    public NatsJSContext Context => _js ??= new NatsJSContext(_connection);

    /// <summary>The connection itself, for core NATS messages beside the queue (bank and registry change notices).</summary>
    public NatsConnection Connection => _connection;

    public NatsConnectionState ConnectionState => _connection.ConnectionState;

    /// <summary>The consumer, after making sure the stream and the consumer exist with the configured settings.</summary>
    public async ValueTask<INatsJSConsumer> ConsumerAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _consumer) is { } ready) return ready;
        await _gate.WaitAsync(ct);
        try
        {
            if (_consumer is not null) return _consumer;
            try
            {
                await _connection.ConnectAsync();
                await Context.CreateOrUpdateStreamAsync(new StreamConfig(options.Stream, [options.Subject])
                {
                    Retention = StreamConfigRetention.Workqueue,
                    Storage = StreamConfigStorage.File,
                    NumReplicas = options.Replicas,
                    DuplicateWindow = TimeSpan.FromSeconds(options.DuplicateWindowSeconds),
                }, ct);
                var consumer = await Context.CreateOrUpdateConsumerAsync(options.Stream, new ConsumerConfig(options.Consumer)
                {
                    AckPolicy = ConsumerConfigAckPolicy.Explicit,
                    AckWait = TimeSpan.FromSeconds(pipeline.LeaseSeconds),
                    // One delivery beyond the attempts, so the listener sees the item that never finished and dead-letters it.
                    MaxDeliver = pipeline.MaxAttempts + 1,
                    MaxAckPending = options.MaxAckPending,
                    FilterSubject = options.Subject,
                }, ct);
                if (_ensuredOnce) log.LogError("JetStream stream {Stream} or consumer {Consumer} was missing or unusable and has been recreated", options.Stream, options.Consumer);
                _ensuredOnce = true;
                LastError = null;
                return _consumer = consumer;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LastError = ex.Message;
                throw new JetStreamUnavailableException(
                    $"NATS JetStream at {options.Url} is not usable ({ex.GetType().Name}: {ex.Message}). " +
                    "Check that the server is running with JetStream enabled (nats-server -js) and that Bulwark:Queue:JetStream:Url is right.", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget the consumer after an API error, so the next use verifies (and if needed recreates) stream and consumer.</summary>
    public void Reset(Exception cause)
    {
        LastError = cause.Message;
        Volatile.Write(ref _consumer, null);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
