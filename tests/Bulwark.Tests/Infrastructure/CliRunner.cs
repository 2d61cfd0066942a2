using System.Diagnostics;

namespace Bulwark.Tests.Infrastructure;

public sealed record CliRun(int ExitCode, string Out, string Err);

/// <summary>Runs the real `bulwark` executable as a user would, configured for a test database.</summary>
public static class CliRunner
{
    public static Task<CliRun> RunAsync(TestDatabase db, params string[] args) => RunWithInputAsync(db, null, args);

    /// <summary>Runs with <paramref name="stdin"/> written to standard input (then closed), as a pipe would.</summary>
    public static async Task<CliRun> RunWithInputAsync(TestDatabase db, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bulwark.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, WorkingDirectory = db.Directory,
        };
        foreach (var (k, v) in db.Settings()) psi.Environment[k.Replace(":", "__")] = v;
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRun(p.ExitCode, await stdout, await stderr);
    }
}
