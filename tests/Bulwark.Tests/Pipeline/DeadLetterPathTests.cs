using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Pipeline;

/// <summary>A dead letter's error, read by administrators and the API, names a file by its name, never by its server path (issue 16).</summary>
public class DeadLetterPathTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_dead_letter_error_keeps_file_names_and_drops_server_paths(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "dl-path", Kind = "text", Text = "Synthetic text", Language = "en" }, null, default);
        var queue = core.Get<IWorkQueue>();
        var work = Assert.Single(await queue.ClaimAsync("test", 10, default));
        await queue.FailAsync([new WorkFailure(work,
            "commit failed: could not open '/srv/bulwark/data/media/ab/cd/abcdef.bin' (see /tmp/bulwark-x/upload-1.tmp); https://media.example/a/b.mp4 stays", Retryable: false)], default);

        var dead = Assert.Single(await queue.ListDeadLettersAsync(0, 10, default));
        Assert.Equal("commit failed: could not open 'abcdef.bin' (see upload-1.tmp); https://media.example/a/b.mp4 stays", dead.LastError);
    }
}
