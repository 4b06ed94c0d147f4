// Jest's node environment with an ordinary global object. Jest 30 builds each test file's vm context around a
// Proxy (to delete what tests leave on globals) and Node contextifies it: every read of Math, Date, String or
// JSON in code under test then goes through a C++ interceptor and the proxy, which made in-process code up to
// 10x slower than under plain Node (a simulator page, a randomised planner test). Node's DONT_CONTEXTIFY
// context has a plain global object: the same isolation per test file, globals at native speed. Only the
// context's creation differs; Jest installs its globals on it as usual. Without that constant (Node before
// 20.18) this is Jest's own environment.
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

const PLAIN = vm.constants?.DONT_CONTEXTIFY;

class FastGlobalsEnvironment extends TestEnvironment {
  constructor(config, context) {
    if (PLAIN === undefined) {
      super(config, context);
      return;
    }
    // Jest calls vm.createContext once, in this constructor, with its proxy: it gets a plain context instead.
    const createContext = vm.createContext;
    vm.createContext = () => createContext(PLAIN);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}

module.exports = FastGlobalsEnvironment;
