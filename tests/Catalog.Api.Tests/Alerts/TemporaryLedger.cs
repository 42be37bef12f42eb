using Catalog.Ledger.LiteDb;

namespace Catalog.Api.Tests.Alerts;

/// <summary>A ledger file of the test's own, opened and re-opened (a restart) at will.</summary>
internal sealed class TemporaryLedger : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
    private readonly TimeProvider _clock;

    public TemporaryLedger(TimeProvider clock)
    {
        _clock = clock;
        Open();
    }

    public LedgerDatabase Database { get; private set; } = null!;

    public LiteDbUsageStore Usage { get; private set; } = null!;

    public LiteDbAlertStore Alerts { get; private set; } = null!;

    public LiteDbEndpointEventStore EndpointEvents { get; private set; } = null!;

    public LiteDbBudgetStore Budgets { get; private set; } = null!;

    public async Task RestartAsync()
    {
        await CloseAsync();
        Open();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private void Open()
    {
        Database = new LedgerDatabase(Path.Combine(_directory, "catalog.db"));
        Usage = new LiteDbUsageStore(Database, _clock);
        Alerts = new LiteDbAlertStore(Database);
        EndpointEvents = new LiteDbEndpointEventStore(Database);
        Budgets = new LiteDbBudgetStore(Database);
    }

    private async Task CloseAsync()
    {
        await Usage.DisposeAsync();
        Database.Dispose();
    }
}
