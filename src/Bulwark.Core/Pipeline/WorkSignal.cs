namespace Bulwark.Core.Pipeline;

/// <summary>Wakes in-process workers as soon as work is committed, so they need not wait for the next poll.</summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try { if (_semaphore.CurrentCount == 0) _semaphore.Release(); }
        catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try { await _semaphore.WaitAsync(timeout, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
