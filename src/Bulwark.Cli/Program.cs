using System.CommandLine;
using Bulwark.Cli.Commands;

namespace Bulwark.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as the server's appsettings.json).", Recursive = true };
        var root = new RootCommand("Bulwark: operate the trust-and-safety pipeline from the command line.")
        {
            config,
            AdminCommands.Db(config),
            AdminCommands.ApiKey(config),
            IngestCommand.Create(config),
            AdminCommands.DeadLetters(config),
            AdminCommands.Audit(config),
            LoadgenCommand.Create(),
            HashCommands.Hash(config),
            HashCommands.Match(config),
            OcrCommand.Create(config),
            BankCommands.Create(config),
            EntityCommands.Lists(config),
            EntityCommands.Entities(config),
            EntityCommands.Screen(config),
            ClassifierCommands.Create(config),
            DeliveryCommands.Webhooks(config),
            DeliveryCommands.Sor(config),
            PolicyCommands.Rules(config),
            PolicyCommands.Policies(config),
            AppealCommands.Create(config),
            UserCommands.Create(config),
        };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
