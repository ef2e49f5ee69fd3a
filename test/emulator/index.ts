export * from './sagemaker-emulator';
