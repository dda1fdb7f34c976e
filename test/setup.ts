import '../sim/polyfills.js';

// The SDK warns on Node < 22 at client creation; tests run on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
