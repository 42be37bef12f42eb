using Catalog.Api.Features.Health;
using Catalog.Ledger;
using Catalog.Ledger.Alerts;
using Catalog.Ledger.Budgets;
using Catalog.Ledger.LiteDb;
using Catalog.Ledger.Postgres;
using Catalog.Api.Http;
using Catalog.Pricing;

namespace Catalog.Api.Storage;

public static class StorageServices
{
    /// <summary>
    /// The ledger's stores on the provider <c>Storage:Provider</c> names. The store is opened when the host
    /// starts (the LiteDB file locked, or PostgreSQL reached and its schema migrated), so a file in use or
    /// an unreachable database fails start-up with a message naming the setting, not a request.
    /// </summary>
    public static WebApplicationBuilder AddLedgerStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<StorageOptions>("Storage", StorageOptions.Problem);

        // Which store's services exist is decided now, so the provider is checked now too (by the same rule).
        var chosen = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        if (StorageOptions.Problem(chosen) is { } problem)
        {
            throw new CatalogConfigurationException(problem);
        }

        if (StorageOptions.Normalize(chosen.Provider) == StorageOptions.LiteDb)
        {
            AddLiteDb(builder.Services, builder.Environment.ContentRootPath);
        }
        else
        {
            AddPostgres(builder.Services);
        }

        return builder;
    }

    private static void AddLiteDb(IServiceCollection services, string contentRoot)
    {
        services.AddSingleton(sp => new LedgerDatabase(Path.Combine(contentRoot, sp.GetRequiredService<StorageOptions>().Path)));
        services.AddSingleton(sp => new LiteDbUsageStore(sp.GetRequiredService<LedgerDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StorageOptions>().MaxRecordsPerCommit));
        services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<LiteDbUsageStore>());
        services.AddSingleton<LiteDbKeyStore>();
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<LiteDbKeyStore>());
        services.AddSingleton<IEndpointEventStore, LiteDbEndpointEventStore>();
        services.AddSingleton<IAlertStore, LiteDbAlertStore>();
        services.AddSingleton<IBudgetStore, LiteDbBudgetStore>();
        services.AddLedgerCheck<LiteDbHealthCheck>();
        AddStartup(services, sp => _ => Task.FromResult($"LiteDB file {sp.GetRequiredService<LedgerDatabase>().Path}"));
    }

    private static void AddPostgres(IServiceCollection services)
    {
        services.AddSingleton(sp => new PostgresLedger(sp.GetRequiredService<StorageOptions>().ConnectionString));
        services.AddSingleton(sp => new PostgresUsageStore(sp.GetRequiredService<PostgresLedger>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StorageOptions>().MaxRecordsPerCommit));
        services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<PostgresUsageStore>());
        services.AddSingleton<PostgresKeyStore>();
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<PostgresKeyStore>());
        services.AddSingleton<IEndpointEventStore, PostgresEndpointEventStore>();
        services.AddSingleton<IAlertStore, PostgresAlertStore>();
        services.AddSingleton<IBudgetStore, PostgresBudgetStore>();
        services.AddLedgerCheck<PostgresHealthCheck>();
        AddStartup(services, sp => async cancellationToken =>
        {
            var ledger = sp.GetRequiredService<PostgresLedger>();
            await ledger.OpenAsync(cancellationToken);
            return $"PostgreSQL {ledger.Server}, schema version {PostgresSchema.Version}";
        });
    }

    /// <summary>
    /// Opens the ledger before the host starts, so a file in use or an unreachable database is refused by
    /// Program with one line (a failure inside the host's start is logged with its stack trace first). Hosts
    /// that never run Program's code after Build (the test host) open it when they start, as before.
    /// </summary>
    public static Task OpenLedgerAsync(this WebApplication app) =>
        app.Services.GetRequiredService<LedgerStartup>().StartAsync(CancellationToken.None);

    private static void AddStartup(IServiceCollection services, Func<IServiceProvider, Func<CancellationToken, Task<string>>> open)
    {
        services.AddSingleton(sp => new LedgerStartup(sp, open(sp)));
        services.AddHostedService(sp => sp.GetRequiredService<LedgerStartup>());
    }

    /// <summary>Opens the store, then the stores on it, at start-up, once. (The container disposes them: the writer finishes what it was given.)</summary>
    private sealed class LedgerStartup(IServiceProvider services, Func<CancellationToken, Task<string>> open) : IHostedService
    {
        private const long LargeOpenBytes = 64L << 20;

        private Task? _opened;

        public Task StartAsync(CancellationToken cancellationToken) => _opened ??= OpenAsync(cancellationToken);

        private async Task OpenAsync(CancellationToken cancellationToken)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var where = await open(cancellationToken);
            services.GetRequiredService<IUsageStore>();
            services.GetRequiredService<IKeyStore>();
            services.GetRequiredService<IEndpointEventStore>();
            services.GetRequiredService<IAlertStore>();
            services.GetRequiredService<IBudgetStore>();

            // Opening a large ledger reads its index and rollups through a lot of short-lived memory; give it
            // back to the system now, once, instead of carrying it for the life of the process. (A small ledger
            // leaves too little to be worth a full compacting collection on the start-up path.)
            if (GC.GetTotalAllocatedBytes() - allocatedBefore > LargeOpenBytes)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            services.GetRequiredService<ILogger<LedgerStartup>>().LogInformation("Usage ledger open: {Where}", where);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
