namespace Bulwark.Core.Storage;

/// <summary>
/// Marks the writes of the current flow (an async call chain) as urgent: on SQLite they go through the single write gate
/// before the pipeline's and ingest's batches that are waiting (issue 18: a removal order's commit waited behind them and
/// missed its one-second target). An urgent writer still waits for the transaction that holds the gate; it only jumps the
/// queue. Use it for short, latency-bound writes (authority orders, webhook delivery bookkeeping), never for batches.
/// </summary>
public static class WritePriority
{
    private static readonly AsyncLocal<bool> Current = new();

    public static bool IsUrgent => Current.Value;

    /// <summary>Writes begun in this flow until the scope is disposed are urgent.</summary>
    public static Scope Urgent()
    {
        var before = Current.Value;
        Current.Value = true;
        return new Scope(before);
    }

    public readonly struct Scope(bool before) : IDisposable
    {
        public void Dispose() => Current.Value = before;
    }
}

/// <summary>
/// SQLite's single-writer gate: one holder at a time, waiters served first come first served, urgent ones
/// (<see cref="WritePriority"/>) before the others. A waiter that is cancelled before its turn is skipped.
/// </summary>
internal sealed class WriteGate
{
    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _normal = new();
    private bool _held;

    /// <summary>Waiters not yet served (for tests).</summary>
    internal int Waiting { get { lock (_lock) return _urgent.Count + _normal.Count; } }

    public Task WaitAsync(bool urgent, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource turn;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }
            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgent ? _urgent : _normal).Enqueue(turn);
        }
        if (!ct.CanBeCanceled) return turn.Task;
        var registration = ct.Register(() => turn.TrySetCanceled(ct));
        return turn.Task.ContinueWith(t =>
        {
            registration.Dispose();
            return t;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Hands the gate to the next waiter (urgent first), or frees it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (!_held) throw new InvalidOperationException("The write gate is not held.");
            while (_urgent.Count + _normal.Count > 0)
            {
                var next = _urgent.Count > 0 ? _urgent.Dequeue() : _normal.Dequeue();
                if (next.TrySetResult()) return; // the gate passes to it, still held
            }
            _held = false;
        }
    }
}
