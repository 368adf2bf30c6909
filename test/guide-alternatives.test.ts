import { guideOffer } from '../lib/manifests/guide-alternatives';

describe('guideOffer: what the prose around a guide step says of it', () => {
  const guide = [
    '# Setup', // 1
    '',
    '```bash', // 3
    'kubectl create secret generic token --from-literal=T=x', // 4
    '```',
    '',
    'Or apply token.yaml after replacing the placeholder.', // 7
    '',
    '## Deploy', // 9
    '',
    'Deploy the server:',
    '',
    '```bash', // 13
    'kubectl apply -f server.yaml', // 14
    '```',
    '',
    'Alternatively, use Kustomize:', // 17
    '',
    '```bash',
    'kubectl apply -k .', // 20
    '```',
    '',
  ].join('\n');

  test('prose after a step offering another way, and prose before one offering it instead', () => {
    expect(guideOffer(guide, 4)).toEqual({ otherOffered: true });
    expect(guideOffer(guide, 20)).toEqual({ offeredInstead: true });
  });

  test('near misses: a plain step, a heading between the step and the next section, a line outside any block', () => {
    // "Alternatively" below the server step is the lead of the next block, not of this one
    expect(guideOffer(guide, 14)).toEqual({ otherOffered: true });
    expect(guideOffer(guide.replace('Alternatively, use Kustomize:', 'Then check it:'), 14)).toEqual({});
    expect(guideOffer(guide, 7)).toEqual({});
  });
});
