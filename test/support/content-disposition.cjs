// Jest (VM modules on Node 20) cannot require() an ES module, and @fastify/static requires the
// ES-only content-disposition 3 for reply.download(), which the app does not use. Node itself loads
// it (require of ESM, Node >= 20.19); the tests get this stand-in with the one function it calls.
exports.create = (filename) => `attachment; filename="${String(filename).replace(/["\\\r\n]/g, '_')}"`;
