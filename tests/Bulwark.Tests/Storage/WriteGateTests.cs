using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Storage;

/// <summary>SQLite's write gate serves urgent writers (issue 18: removal orders, webhook bookkeeping) before waiting batches.</summary>
public class WriteGateTests
{
    [Fact]
    public async Task Urgent_waiters_are_served_before_earlier_ordinary_ones_and_cancelled_ones_are_skipped()
    {
        var gate = new WriteGate();
        await gate.WaitAsync(urgent: false, default); // held
        var first = gate.WaitAsync(urgent: false, default);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(urgent: true, cancel.Token);
        var second = gate.WaitAsync(urgent: false, default);
        var urgent = gate.WaitAsync(urgent: true, default);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(first.IsCompleted || second.IsCompleted || urgent.IsCompleted);

        gate.Release();
        await urgent;
        Assert.False(first.IsCompleted || second.IsCompleted);
        gate.Release();
        await first;
        Assert.False(second.IsCompleted);
        gate.Release();
        await second;
        gate.Release();
        await gate.WaitAsync(urgent: false, default); // free again: taken at once
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task A_write_begun_in_an_urgent_scope_passes_the_waiting_batches_on_sqlite()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var dbs = core.Get<IBulwarkDbFactory>();
        await using var holderDb = dbs.Create();
        var holder = await dbs.BeginWriteAsync(holderDb, default);

        await using var batchDb = dbs.Create();
        var batch = dbs.BeginWriteAsync(batchDb, default);
        await using var orderDb = dbs.Create();
        Task<WriteTransaction> order;
        using (WritePriority.Urgent()) order = dbs.BeginWriteAsync(orderDb, default);
        Assert.False(WritePriority.IsUrgent); // the scope ended with its block

        await holder.DisposeAsync();
        var orderTx = await order;
        Assert.False(batch.IsCompleted); // the batch asked first, and still waits for the urgent write
        await orderTx.DisposeAsync();
        await (await batch).DisposeAsync();
    }
}
