using Bms.Server.Hosting;

var app = BmsApplication.Create(args);
await app.RunAsync();

/// <summary>The backend's entry point; public so tests can reference the assembly through it.</summary>
public partial class Program;
