// `npm start`: runs the desktop app. Until the app shell lands this prints what exists and exits 0.
console.log('RustChain Desktop: the app shell is not built yet.');
console.log('Available now: `npx rustchain --help` (the command line).');
