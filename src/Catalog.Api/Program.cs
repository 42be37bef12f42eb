using Catalog.Api;
using Catalog.Api.Features.Alerts;
using Catalog.Api.Features.Analytics;
using Catalog.Api.Features.Catalog;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Dashboard;
using Catalog.Api.Features.Integrations;
using Catalog.Api.Features.Keys;
using Catalog.Api.Features.Models;
using Catalog.Api.Features.Usage;
using Catalog.Api.Storage;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddCatalogServices();
builder.AddLedgerStorage();
builder.AddApiKeys();
builder.AddUsage();
builder.AddLiteLlm();
builder.AddAlerts();

var app = builder.Build();
app.UseCatalogErrorHandling();
app.UseStaticFiles();
app.UseApiKeys();
app.MapOpenApi();
app.MapScalarApiReference(options => options.DisableDefaultFonts());
app.MapCatalog();
app.MapModels();
app.MapCost();
app.MapUsage();
app.MapLiteLlm();
app.MapAnalytics();
app.MapAlerts();
app.MapKeys();
app.MapDashboard();

app.Run();
