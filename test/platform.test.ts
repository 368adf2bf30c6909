import { App, Chart } from 'cdk8s';
import { PLATFORMS, platformOf, setPlatform } from '../lib';

describe('the platform an app renders for', () => {
  test('an app that chooses none renders for OpenShift AI 3.0 (Kueue v1beta1, LLMInferenceService v1alpha1)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    expect(platformOf(chart).id).toBe('rhoai-3.0');
    expect(platformOf(chart).kueueApiVersion).toBe('kueue.x-k8s.io/v1beta1');
    expect(platformOf(chart).llmInferenceServiceApiVersion).toBe('serving.kserve.io/v1alpha1');
  });

  test('setPlatform on the app reaches every construct below it', () => {
    const app = new App();
    setPlatform(app, 'rhoai-3.4');
    const chart = new Chart(app, 'c');
    expect(platformOf(chart).kueueApiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(platformOf(chart).llmInferenceServiceApiVersion).toBe('serving.kserve.io/v1alpha2');
    expect(platformOf(chart).deploymentModes.raw).toBe('Standard');
  });

  test('setPlatform after constructs exist is refused, naming the platform they render for', () => {
    const app = new App();
    new Chart(app, 'c');
    expect(() => setPlatform(app, 'rhoai-3.4')).toThrow(/before creating constructs.*rhoai-3\.0/);
  });

  test('an unknown platform id is refused with the known ones', () => {
    expect(() => setPlatform(new App(), 'rhoai-9' as never)).toThrow(/'rhoai-9' is not a platform; use one of rhoai-3\.0, rhoai-3\.3, rhoai-3\.4, kserve/);
    const app = new App();
    app.node.setContext('cdk8s-vllm:platform', 'openshift');
    expect(() => platformOf(app)).toThrow(/context cdk8s-vllm:platform: 'openshift' is not a platform/);
  });

  test('Kueue field names follow the stored version: cohortName and MayStopSearch in v1beta2 only', () => {
    expect(PLATFORMS['rhoai-3.0'].kueue).toMatchObject({ cohortField: 'cohort', borrowInFlavor: 'Borrow' });
    expect(PLATFORMS['rhoai-3.3'].kueue).toMatchObject({ cohortField: 'cohort', borrowInFlavor: 'Borrow' });
    expect(PLATFORMS['rhoai-3.4'].kueue).toMatchObject({ cohortField: 'cohortName', borrowInFlavor: 'MayStopSearch' });
    expect(PLATFORMS.kserve.kueue).toMatchObject({ cohortField: 'cohortName', borrowInFlavor: 'MayStopSearch' });
  });
});
