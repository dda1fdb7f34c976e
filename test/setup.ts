import '../sim/polyfills.js';
