[assembly: Xunit.AssemblyFixture(typeof(Footage.Testing.PostgresServer))]
[assembly: Xunit.AssemblyFixture(typeof(Footage.Testing.RadosGateway))]
