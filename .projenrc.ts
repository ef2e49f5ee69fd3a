import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-reserved-inference',
  description: 'Reserve SageMaker training-plan capacity (p-family GPUs) and serve an inference endpoint on it, in one CDK construct.',
  author: 'cdk-reserved-inference maintainers',
  authorAddress: 'maintainers@cdk-reserved-inference.invalid',
  repositoryUrl: 'https://github.com/cdk-reserved-inference/cdk-reserved-inference.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'sagemaker', 'training-plan', 'inference', 'gpu', 'capacity-reservation'],

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // CI for this project is `.ci/run`; no hosted workflows are generated.
  github: false,
  release: false,

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Handlers are discovered from `*.lambda.ts`. The SageMaker client is bundled
  // into the asset on purpose: the SDK shipped in the Lambda runtime lags behind
  // the training-plan API, so nothing is left external.
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    bundlingOptions: { externals: [] },
  },

  devDeps: [
    '@aws-sdk/client-sagemaker',
    '@smithy/node-http-handler',
    '@types/aws-lambda',
    'aws-cdk@^2.1100.0',
    'cdk-nag@^3',
  ],

  publishToPypi: {
    distName: 'cdk-reserved-inference',
    module: 'cdk_reserved_inference',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkreservedinference',
    mavenGroupId: 'io.github.cdk-reserved-inference',
    mavenArtifactId: 'cdk-reserved-inference',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkReservedInference',
    packageId: 'CdkReservedInference',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-reserved-inference/cdk-reserved-inference-go',
  },

  gitignore: ['/cdk.out', '/examples/**/cdk.out', '/.demo-out', '/.bench-out'],
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../benchmarks/**/*.ts'],
  },
});

project.addPackageIgnore('/examples');
project.addPackageIgnore('/benchmarks');
project.addPackageIgnore('/.ci');

// The handler's modules run only inside the Lambda asset, where esbuild bundles
// the SageMaker client; it is a dev dependency of the library on purpose.
project.eslint?.allowDevDeps('src/reservation/handler/**');

// Construct tests synthesise stacks that load the bundled handler assets, so
// a bare `npm test` on a fresh clone has to bundle first.
const bundle = project.tasks.tryFind('bundle');
if (bundle) {
  project.testTask.prependSpawn(bundle);
}

// The main job: synthesise the seed scenario, validate its templates and run
// both phases of its reservation lifecycle against the embedded emulator.
const demo = project.addTask('demo', {
  description: 'Synthesise the seed scenario and run its reservation lifecycle against the local SageMaker emulator',
});
if (bundle) {
  demo.spawn(bundle);
}
demo.exec('ts-node --project test/tsconfig.json examples/seed-scenario/run-demo.ts');

project.addTask('bench', {
  description: 'Print SageMaker API calls per deploy (clean and with one throttled call)',
  exec: 'ts-node --project test/tsconfig.json benchmarks/api-calls.ts',
});

project.synth();
